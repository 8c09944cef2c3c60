"""Advisers see the files citizens emailed, and download kept ones safely, inside their councils only."""
import hashlib
import re

import pytest
from sqlalchemy import select

from channels.email import queries as email_queries
from hub.adviser.models import AuditLog
from hub.db import get_session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8  # 2,056 bytes
EXE = b"MZ\x90\x00" + b"\x00" * 60
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _download(case, row, source="email"):
    return f"/adviser/cases/{case.id}/attachments/{source}/{row.id}"


def _audit(case_id):
    sess = get_session()
    sess.expire_all()
    return [(r.user_id, r.action, r.detail, r.ip) for r in
            sess.scalars(select(AuditLog).where(AuditLog.case_id == case_id).order_by(AuditLog.id))]


@pytest.fixture
def case_with_files(make_case, email_files):
    case = make_case("WCITY")
    rows = email_files(case, [("letter.pdf", "application/pdf", PDF), ("photo.png", "image/png", PNG),
                              ("invoice.exe", "application/x-msdownload", EXE)])
    return case, rows


def test_the_thread_lists_each_messages_files_with_type_and_size(adviser_client, case_with_files):
    case, rows = case_with_files
    client, _ = adviser_client("a@example.org", ("WCITY",))
    for path in (f"/adviser/cases/{case.id}", f"/adviser/cases/{case.id}/messages"):
        page = client.get(path).get_data(as_text=True)
        # under the message they came with, not the case's first message
        reply = page[page.index("Photos attached."):]
        for name in ("letter.pdf", "photo.png", "invoice.exe"):
            assert name in reply and name not in page[:page.index("Photos attached.")], (path, name)
        assert f'href="{_download(case, rows["letter.pdf"])}"' in page
        assert f'href="{_download(case, rows["photo.png"])}"' in page
        assert "application/pdf, 45 bytes" in page and "image/png, 2.0 KB" in page
        # refused: named, with the reason, and no link to it anywhere
        assert "application/x-msdownload, 64 bytes – <strong>refused</strong>: files of type " \
               "application/x-msdownload are not accepted" in page
        assert f"/attachments/email/{rows['invoice.exe'].id}" not in page


def test_a_download_is_the_stored_bytes_with_safe_headers_and_is_audited(adviser_client, case_with_files):
    case, rows = case_with_files
    client, user = adviser_client("b@example.org", ("WCITY",))
    for name, content_type in (("letter.pdf", "application/pdf"), ("photo.png", "image/png")):
        stored = rows[name]
        response = client.get(_download(case, stored))
        assert response.status_code == 200
        assert response.data == stored.data and hashlib.sha256(response.data).hexdigest() == stored.sha256
        assert response.headers["Content-Type"] == content_type == stored.content_type
        assert response.headers["Content-Length"] == str(stored.size)
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "sandbox" in response.headers["Content-Security-Policy"]
    assert _audit(case.id) == [
        (user.id, "download_attachment", {"source": "email", "attachment_id": rows[name].id, "filename": name},
         "127.0.0.1") for name in ("letter.pdf", "photo.png")]


def test_a_refused_file_cannot_be_downloaded(adviser_client, case_with_files):
    case, rows = case_with_files
    assert rows["invoice.exe"].data is None
    client, _ = adviser_client("c@example.org", ("WCITY",))
    assert client.get(_download(case, rows["invoice.exe"])).status_code == 404
    assert _audit(case.id) == []


def test_another_councils_adviser_gets_404_and_nothing_is_audited(adviser_client, case_with_files):
    case, rows = case_with_files
    client, _ = adviser_client("d@example.org", ("WCC", "MHDC"))
    response = client.get(_download(case, rows["letter.pdf"]))
    assert response.status_code == 404
    assert b"%PDF" not in response.data and case.reference not in response.get_data(as_text=True)
    assert _audit(case.id) == []


def test_signed_out_visitors_are_sent_to_sign_in(anon_client, case_with_files):
    case, rows = case_with_files
    response = anon_client.get(_download(case, rows["letter.pdf"]))
    assert response.status_code == 302 and "/adviser/sign-in" in response.headers["Location"]


def test_a_file_of_another_case_or_an_unknown_id_is_a_404(adviser_client, make_case, case_with_files):
    case, rows = case_with_files
    other = make_case("WCITY")  # same council, so only the pairing is wrong
    client, _ = adviser_client("e@example.org", ("WCITY",))
    letter = rows["letter.pdf"]
    for url in (f"/adviser/cases/{other.id}/attachments/email/{letter.id}",  # right file, wrong case
                f"/adviser/cases/{case.id}/attachments/email/987654",  # no such file
                f"/adviser/cases/987654/attachments/email/{letter.id}",  # no such case
                f"/adviser/cases/{case.id}/attachments/sms/{letter.id}",  # no such source
                f"/adviser/cases/{case.id}/attachments/email/99999999999999999999",  # no row can have it
                f"/adviser/cases/{case.id}/attachments/email/0"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"%PDF" not in response.data
    assert _audit(other.id) == [] and _audit(case.id) == []


def test_a_non_ascii_name_is_sent_as_filename_star(adviser_client, make_case, email_files):
    case = make_case("WCITY")
    rows = email_files(case, [("Résumé – été.pdf", "application/pdf", PDF)])
    client, _ = adviser_client("f@example.org", ("WCITY",))
    [stored] = rows.values()
    disposition = client.get(_download(case, stored)).headers["Content-Disposition"]
    assert disposition == ("attachment; filename=\"Resume ete.pdf\"; "
                           "filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20%C3%A9t%C3%A9.pdf")


def test_web_pages_and_scripts_are_never_served_as_themselves(adviser_client, make_case, email_files):
    """Plain text named .html gets through the intake; HTML or SVG rows (an older policy, another
    channel) must not be rendered either. All go out as opaque bytes, as downloads."""
    case = make_case("WCITY")
    rows = email_files(case, [("page.html", "text/plain", SCRIPT), ("notes.txt", "text/plain", b"Bin at no. 4")])
    assert rows["page.html"].data == SCRIPT  # kept: text/plain is an accepted type
    inbound_id = rows["page.html"].inbound_email_id
    for filename, content_type in (("legacy.html", "text/html"), ("drawing.svg", "image/svg+xml"),
                                   ("feed.xml", "application/xml"), ("app.js", "text/javascript")):
        rows[filename] = email_queries.add_attachment(
            inbound_email_id=inbound_id, case_id=case.id, filename=filename, content_type=content_type,
            size=len(SCRIPT), sha256=hashlib.sha256(SCRIPT).hexdigest(), data=SCRIPT, refused_reason=None)
    get_session().commit()
    client, _ = adviser_client("g@example.org", ("WCITY",))
    for filename in ("page.html", "legacy.html", "drawing.svg", "feed.xml", "app.js"):
        response = client.get(_download(case, rows[filename]))
        assert response.status_code == 200, filename
        assert response.headers["Content-Type"] == "application/octet-stream", filename
        assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == SCRIPT
    plain = client.get(_download(case, rows["notes.txt"]))
    assert plain.headers["Content-Type"] == "text/plain" and plain.data == b"Bin at no. 4"


def test_a_case_without_files_shows_none(adviser_client, make_case):
    case = make_case("WCITY")
    client, _ = adviser_client("h@example.org", ("WCITY",))
    page = client.get(f"/adviser/cases/{case.id}").get_data(as_text=True)
    assert "Attachments" not in page and not re.search(r"/attachments/", page)
