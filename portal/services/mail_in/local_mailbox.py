"""Mail of the portal's own, for ``make run`` and the tests: Debian's Dovecot run in the
foreground with a throwaway configuration (plaintext sign-in on 127.0.0.1 only, mail kept
as Maildir in a folder we choose), and a small SMTP server (local_smtp.py) that puts every
message it is sent into it.

A deployment points ``MAIL_SERVER`` at its mail server and ``MAIL_IN_*`` at the team's
mailbox (docs/mail-in.md). On a developer's machine with neither set, ``make run`` starts
this instead (portal/supervise.py), so that email in can be tried from end to end: the
portal sends through the SMTP server, mail to the team lands in the team's mailbox, which
the worker reads, and mail to anyone else lands in a catch-all mailbox a person reads with
any mail client. The passwords are made once and kept in the folder's ``passwd`` (readable
by its owner only), and the ports in ``ports``, so a mail client set up once keeps working.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from portal.services.mail_in.local_smtp import EVERYONE_ELSE, read_passwords

HOST = "127.0.0.1"
SMTP_SERVER = Path(__file__).with_name("local_smtp.py")
# libfaketime's variables (CI runs the suite under it, docs/development.md).
FAKETIME_VARIABLES = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None


def on_the_real_clock(argv: list[str]) -> list[str]:
    """``argv`` run with libfaketime taken out of its environment. The mail servers stand
    for the team's, outside the portal like PostgreSQL, and on a faked clock Dovecot's login
    processes time out; the portal's side stays on whatever clock it is given."""
    return ["env", *(part for name in FAKETIME_VARIABLES for part in ("-u", name)), *argv]


@dataclass(frozen=True)
class LocalMail:
    """What ``prepare`` made: the two servers' commands and how to reach them."""

    folder: Path
    team: str
    imap_port: int
    smtp_port: int
    passwords: dict[str, str]
    mailbox_command: list[str]
    smtp_command: list[str]

    def commands(self) -> dict[str, list[str]]:
        return {"mailbox": self.mailbox_command, "mail relay": self.smtp_command}

    def settings(self) -> dict[str, str]:
        """The portal's settings that send through the SMTP server and read the team's mailbox."""
        return {"MAIL_SERVER": HOST, "MAIL_PORT": str(self.smtp_port),
                "MAIL_IN_HOST": HOST, "MAIL_IN_PORT": str(self.imap_port), "MAIL_IN_SSL": "false",
                "MAIL_IN_USERNAME": self.team, "MAIL_IN_PASSWORD": self.passwords[self.team]}


def prepare(folder: Path, team: str, also_team: tuple[str, ...] = ()) -> LocalMail | None:
    """Write the configuration of a local mailbox in ``folder``: the team's (user name
    ``team``, which mail to it or to ``also_team`` reaches) and everyone else's. None when
    Dovecot is not installed."""
    binary = dovecot_binary()
    if binary is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    team = team.lower()
    passwords = _kept_passwords(folder, [team, EVERYONE_ELSE])
    imap_port, smtp_port = _kept_ports(folder)
    mailbox = write_dovecot(folder, imap_port, passwords, binary)
    addresses = [team, *(a.lower() for a in also_team if a.lower() != team)]
    smtp = on_the_real_clock([sys.executable, "-I", str(SMTP_SERVER), "--port", str(smtp_port),
                              "--imap-port", str(imap_port), "--passwords", str(folder / "passwd"),
                              "--team", *addresses])
    return LocalMail(folder, team, imap_port, smtp_port, passwords, mailbox, smtp)


def _kept_passwords(folder: Path, users: list[str]) -> dict[str, str]:
    """The users' passwords from an earlier run, and a new random one for any user without."""
    kept = read_passwords(folder / "passwd")
    return {user: kept.get(user) or secrets.token_urlsafe(12) for user in users}


def _kept_ports(folder: Path) -> tuple[int, int]:
    """The IMAP and SMTP ports of an earlier run while they are free, else free ones."""
    path = folder / "ports"
    try:
        kept = [int(part) for part in path.read_text().split()]
    except (OSError, ValueError):
        kept = []
    ports = kept if len(kept) == 2 and all(map(_is_free, kept)) else [free_port(), free_port()]
    if ports[0] == ports[1]:
        ports[1] = free_port()
    path.write_text(f"{ports[0]} {ports[1]}\n")
    return ports[0], ports[1]


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        # As the servers bind: a port left in TIME_WAIT by the last run is free to them.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


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
