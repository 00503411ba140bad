//! Keeps the token in this process's memory away from other processes of the same user.

/// Makes the process non-dumpable, as ssh-agent and gpg-agent do: no core file is written, and
/// another process of the same user can neither ptrace it nor read its /proc/PID/mem or
/// /proc/PID/environ. Called first thing in `main`, for the CLI, the terminal app and the server.
pub fn forbid_memory_inspection() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_DUMPABLE takes plain integers and touches no memory of ours.
    unsafe {
        // A failure leaves the process as it was; nothing better can be done about it.
        let _ = libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}
