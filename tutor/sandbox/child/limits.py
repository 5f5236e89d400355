"""Limits the sandbox child puts on itself before any learner code runs.

Runs inside the child Python (stdlib only). Two layers:

- rlimits: address space, CPU seconds, no file growth (FSIZE 0), no core files,
  no new processes for ordinary users (NPROC 0).
- a seccomp filter (a small BPF program loaded with prctl) that refuses, with
  EPERM, every system call that starts a process (fork, vfork, clone, clone3,
  execve), signals or traces another process, opens a socket, opens a file for
  writing or changes the file system, or reaches for kernel features a learner
  never needs (mount, namespaces, bpf, io_uring...). RLIMIT_NPROC alone does not
  stop fork() for root, even inside a user namespace, so the filter is what
  bounds the number of processes: the child can never have more than one.

Once loaded, a filter cannot be removed, not even with ctypes.
"""

from __future__ import annotations

import ctypes
import errno
import math
import os
import platform
import resource
import struct
import sys

PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000

LD_W_ABS = 0x20
JEQ_K = 0x15
JGE_K = 0x35
JSET_K = 0x45
RET_K = 0x06

OFFSET_NR = 0
OFFSET_ARCH = 4
WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000  # O_WRONLY O_RDWR O_CREAT O_TRUNC O_APPEND

# Syscalls refused outright, per architecture (numbers from the kernel's tables).
X86_64_DENY = {
    "fork": 57, "vfork": 58, "clone": 56, "clone3": 435, "execve": 59, "execveat": 322,
    "tkill": 200, "pidfd_send_signal": 424, "pidfd_open": 434, "pidfd_getfd": 438,
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
    "socket": 41, "socketpair": 53, "openat2": 437, "creat": 85,
    "unlink": 87, "unlinkat": 263, "rename": 82, "renameat": 264, "renameat2": 316,
    "mkdir": 83, "mkdirat": 258, "rmdir": 84, "truncate": 76, "ftruncate": 77,
    "chmod": 90, "fchmod": 91, "fchmodat": 268, "chown": 92, "fchown": 93, "lchown": 94,
    "fchownat": 260, "link": 86, "linkat": 265, "symlink": 88, "symlinkat": 266,
    "mknod": 133, "mknodat": 259, "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190,
    "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199,
    "mount": 165, "umount2": 166, "unshare": 272, "setns": 308, "pivot_root": 155,
    "chroot": 161, "bpf": 321, "perf_event_open": 298, "keyctl": 250, "add_key": 248,
    "request_key": 249, "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "open_by_handle_at": 304, "name_to_handle_at": 303,
    "personality": 135, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
}
AARCH64_DENY = {
    "clone": 220, "clone3": 435, "execve": 221, "execveat": 281,
    "tkill": 130, "pidfd_send_signal": 424, "pidfd_open": 434, "pidfd_getfd": 438,
    "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
    "socket": 198, "socketpair": 199, "openat2": 437, "unlinkat": 35, "renameat": 38,
    "renameat2": 276, "mkdirat": 34, "truncate": 45, "ftruncate": 46, "fchmod": 52,
    "fchmodat": 53, "fchownat": 54, "fchown": 55, "linkat": 37, "symlinkat": 36,
    "mknodat": 33, "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14,
    "lremovexattr": 15, "fremovexattr": 16, "mount": 40, "umount2": 39, "unshare": 97,
    "setns": 268, "pivot_root": 41, "chroot": 51, "bpf": 280, "perf_event_open": 241,
    "keyctl": 219, "add_key": 217, "request_key": 218, "userfaultfd": 282,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "open_by_handle_at": 265, "name_to_handle_at": 264, "personality": 92,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
    "fspick": 433, "mount_setattr": 442,
}
# arch audit value, denied table, {open-like syscall: index of its flags argument},
# {signal syscall: it may only target the process itself (argument 0 == own pid)}
ARCHES = {
    "x86_64": (0xC000003E, X86_64_DENY, {2: 1, 257: 2}, (62, 234)),
    "aarch64": (0xC00000B7, AARCH64_DENY, {56: 2}, (129, 131)),
}


def supported() -> bool:
    """True on Linux when this processor's system-call table is known to the filter."""
    return sys.platform.startswith("linux") and platform.machine() in ARCHES


def set_rlimits(memory_mb: int, cpu_s: int) -> None:
    """Cap memory, CPU time, file writes, core files and (for non-root) processes."""
    memory = memory_mb * 1024 * 1024
    _setrlimit(resource.RLIMIT_AS, memory, memory)
    limit_cpu(cpu_s)
    _setrlimit(resource.RLIMIT_FSIZE, 0, 0)
    _setrlimit(resource.RLIMIT_CORE, 0, 0)
    _setrlimit(resource.RLIMIT_NPROC, 0, 0)


def limit_cpu(cpu_s: int) -> None:
    """Allow `cpu_s` more seconds of CPU from now (SIGXCPU, then SIGKILL a second later)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = math.ceil(used.ru_utime + used.ru_stime)
    _setrlimit(resource.RLIMIT_CPU, spent + cpu_s, spent + cpu_s + 1)


def _setrlimit(which: int, soft: int, hard: int) -> None:
    """Set a limit; on Linux a refusal is an error, elsewhere (macOS) best effort."""
    try:
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        if sys.platform.startswith("linux"):
            raise


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _deny(err: int) -> int:
    return RET_ERRNO | err


def build_filter(machine: str, own_pid: int) -> bytes:
    """The BPF program: the instructions of the seccomp filter for `machine`."""
    arch, denied, opens, signals = ARCHES[machine]
    prog = [_insn(LD_W_ABS, 0, 0, OFFSET_ARCH),
            _insn(JEQ_K, 1, 0, arch),
            _insn(RET_K, 0, 0, RET_KILL_PROCESS),
            _insn(LD_W_ABS, 0, 0, OFFSET_NR)]
    if machine == "x86_64":  # the x32 ABI reaches the same kernel with bit 30 set
        prog += [_insn(JGE_K, 0, 1, 0x40000000), _insn(RET_K, 0, 0, RET_KILL_PROCESS)]
    for nr in sorted(denied.values()):
        prog += [_insn(JEQ_K, 0, 1, nr), _insn(RET_K, 0, 0, _deny(errno.EPERM))]
    for nr, arg in sorted(opens.items()):
        prog += [_insn(JEQ_K, 0, 4, nr),
                 _insn(LD_W_ABS, 0, 0, 16 + 8 * arg),
                 _insn(JSET_K, 0, 1, WRITE_FLAGS),
                 _insn(RET_K, 0, 0, _deny(errno.EACCES)),
                 _insn(RET_K, 0, 0, RET_ALLOW)]
    for nr in signals:
        prog += [_insn(JEQ_K, 0, 4, nr),
                 _insn(LD_W_ABS, 0, 0, 16),
                 _insn(JEQ_K, 1, 0, own_pid),
                 _insn(RET_K, 0, 0, _deny(errno.EPERM)),
                 _insn(RET_K, 0, 0, RET_ALLOW)]
    prog.append(_insn(RET_K, 0, 0, RET_ALLOW))
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load_seccomp() -> None:
    """Load the filter into this process for good; raise OSError if the kernel refuses."""
    program = build_filter(platform.machine(), os.getpid())
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p,
                           ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_DUMPABLE, 0, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
