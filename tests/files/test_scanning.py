"""The virus scan against a real clamd (tests/clamd.py), and what happens when it is down."""

from __future__ import annotations

import io
import socket

from portal.services.common.labels import ScanStatus
from portal.services.files.scanning import Scanner, scan
from tests.clamd import eicar
from tests.files import samples


def test_a_clean_file_is_clean(clamd):
    result = scan(Scanner(socket_path=clamd.socket), io.BytesIO(samples.pdf()))
    assert result.status is ScanStatus.CLEAN and not result.quarantined


def test_the_eicar_file_is_infected_with_its_signature_named(clamd):
    result = scan(Scanner(socket_path=clamd.socket), io.BytesIO(eicar()))
    assert result.status is ScanStatus.INFECTED and result.quarantined
    assert result.detail.startswith("Portal-Test-EICAR")


def test_the_eicar_file_is_found_inside_a_word_document(clamd):
    result = scan(Scanner(socket_path=clamd.socket), io.BytesIO(samples.word(eicar())))
    assert result.status is ScanStatus.INFECTED


def test_a_large_file_is_sent_in_chunks(clamd):
    content = samples.pdf() + b"0" * (3 * 1024 * 1024) + eicar()
    assert scan(Scanner(socket_path=clamd.socket), io.BytesIO(content)).status is ScanStatus.INFECTED


def test_without_a_scanner_nothing_is_scanned():
    result = scan(Scanner(), io.BytesIO(eicar()))
    assert result.status is ScanStatus.NOT_SCANNED and not result.quarantined


def test_a_scanner_that_cannot_be_reached_means_waiting(tmp_path):
    result = scan(Scanner(socket_path=str(tmp_path / "no-such.sock"), timeout=2), io.BytesIO(samples.pdf()))
    assert result.status is ScanStatus.WAITING and result.quarantined
    assert "could not reach the virus scanner" in result.detail


def test_a_scanner_on_a_closed_port_means_waiting():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: refused
        result = scan(Scanner(host="127.0.0.1", port=port, timeout=2), io.BytesIO(samples.pdf()))
    assert result.status is ScanStatus.WAITING
