"""Mail of the portal's own, for ``make run`` and the tests: Debian's Dovecot run in the
foreground with a throwaway configuration (plaintext sign-in on 127.0.0.1 only, mail kept
as Maildir in a folder we choose).

A deployment points ``MAIL_IN_*`` at the team's mailbox (docs/mail-in.md). The tests'
IMAP server (tests/imap) is this Dovecot, written for one user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import tempfile
from pathlib import Path

HOST = "127.0.0.1"
# libfaketime's variables (CI runs the suite under it, docs/development.md).
FAKETIME_VARIABLES = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None


def on_the_real_clock(argv: list[str]) -> list[str]:
    """``argv`` run with libfaketime taken out of its environment. Dovecot stands for the
    team's mail server, outside the portal like PostgreSQL, and on a faked clock its login
    processes time out; the portal's side stays on whatever clock it is given."""
    return ["env", *(part for name in FAKETIME_VARIABLES for part in ("-u", name)), *argv]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --- Dovecot -------------------------------------------------------------------------------


def write_dovecot(folder: Path, port: int, users: dict[str, str], binary: str | None = None) -> list[str]:
    """Write a Dovecot of ``users`` (name: password) listening on 127.0.0.1:``port``, in
    ``folder``; answer the command that runs it in the foreground."""
    for part in ("run", "state", "mail", "home"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)  # Dovecot's own processes find their way in
    owner = mail_user()
    passwd = folder / "passwd"
    descriptor = os.open(passwd, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        os.fchmod(descriptor, 0o600)  # kept from an earlier run with another mode, too
        file.write("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in users.items()))
    if os.getuid() == 0:
        for path in (folder / "mail", folder / "home", passwd):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    config = folder / "dovecot.conf"
    config.write_text(_config(folder, _sockets_folder(folder), port, owner))
    return on_the_real_clock([binary or dovecot_binary() or "dovecot", "-F", "-c", str(config)])


def mail_user() -> pwd.struct_passwd:
    """Who owns the mail: the caller, or (Dovecot never runs a mail process as root) its
    own ``dovecot`` user when run as root, as in CI."""
    if os.getuid() == 0:
        for name in ("dovecot", "nobody"):
            if _user_exists(name):
                return pwd.getpwnam(name)
    return pwd.getpwuid(os.getuid())


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _sockets_folder(folder: Path) -> Path:
    """Where Dovecot keeps its sockets (``base_dir``): in ``folder`` unless that would make a
    socket's path longer than the 107 bytes a socket's address holds (a checkout deep in a
    home folder), then in a fresh temporary folder."""
    if len(str(folder / "run" / "token-login" / "imap-urlauth")) < 100:
        return folder / "run"
    path = Path(tempfile.mkdtemp(prefix="portal-dovecot-"))
    os.chmod(path, 0o755)
    return path


def _config(folder: Path, sockets: Path, port: int, owner: pwd.struct_passwd) -> str:
    # Dovecot's own unprivileged users when it runs as root (CI); the caller otherwise.
    login_user = "dovenull" if os.getuid() == 0 and _user_exists("dovenull") else owner.pw_name
    return f"""
base_dir = {sockets}
state_dir = {folder}/state
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
protocols = imap
listen = {HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {owner.pw_name}
mail_location = maildir:{folder}/mail/%u
mail_uid = {owner.pw_uid}
mail_gid = {owner.pw_gid}
first_valid_uid = {owner.pw_uid}
first_valid_gid = {owner.pw_gid}
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
