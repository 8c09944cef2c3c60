"""What a citizen's file is called and typed as when an adviser downloads it."""
import pytest

from hub.adviser.attachments import human_size
from hub.adviser.downloads import content_disposition, served_type


@pytest.mark.parametrize("content_type, filename, served", [
    ("application/pdf", "letter.pdf", "application/pdf"),
    ("image/jpeg", "photo.jpg", "image/jpeg"),
    ("TEXT/PLAIN; charset=utf-8", "notes", "text/plain"),
    ("text/html", "page.html", "application/octet-stream"),
    ("text/plain", "page.html", "application/octet-stream"),  # saved as .html, it would open as a page
    ("text/plain", "page.htm", "application/octet-stream"),
    ("text/plain", "page.html.", "application/octet-stream"),  # the trailing dot is dropped from the name sent
    ("text/plain", "evil.svg ", "application/octet-stream"),
    ("image/svg+xml", "drawing.svg", "application/octet-stream"),
    ("image/png", "drawing.svg", "application/octet-stream"),
    ("application/xml", "feed.xml", "application/octet-stream"),
    ("application/xhtml+xml", "page.xhtml", "application/octet-stream"),
    ("text/javascript", "app.js", "application/octet-stream"),
    ("application/pdf", "letter.js", "application/octet-stream"),
    ("application/x-msdownload", "setup.exe", "application/octet-stream"),
    ("application/octet-stream", "letter.pdf", "application/octet-stream"),
    ("", "", "application/octet-stream"),
])
def test_only_inert_types_are_served_as_themselves(content_type, filename, served):
    assert served_type(content_type, filename) == served


@pytest.mark.parametrize("filename, header", [
    ("letter.pdf", 'attachment; filename="letter.pdf"'),
    ("my letter (1).pdf", 'attachment; filename="my letter (1).pdf"'),
    ("../../etc/passwd", 'attachment; filename="etc_passwd"'),
    ('a"b;c\r\nSet-Cookie: x.txt', 'attachment; filename="a_b_c_Set-Cookie_ x.txt"'),
    ("invoice\u202efdp.exe", 'attachment; filename="invoice_fdp.exe"'),  # no right-to-left disguise
    ("Café.pdf", "attachment; filename=\"Cafe.pdf\"; filename*=UTF-8''Caf%C3%A9.pdf"),
    ("文件.pdf", "attachment; filename=\"attachment.pdf\"; filename*=UTF-8''%E6%96%87%E4%BB%B6.pdf"),
    ("bill & co.pdf", "attachment; filename=\"bill _ co.pdf\"; filename*=UTF-8''bill%20%26%20co.pdf"),
    ("", 'attachment; filename="attachment"'),
    ("...", 'attachment; filename="attachment"'),
])
def test_content_disposition_is_always_an_attachment_with_a_harmless_name(filename, header):
    assert content_disposition(filename) == header


def test_a_long_name_keeps_its_extension():
    header = content_disposition("x" * 300 + ".pdf")
    assert header == 'attachment; filename="' + "x" * 146 + '.pdf"'


@pytest.mark.parametrize("size, text", [(0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1.0 KB"),
                                        (14 * 1024, "14 KB"), (2_411_725, "2.3 MB"), (5 * 1024**3, "5.0 GB")])
def test_sizes_read_as_people_say_them(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize("name", ["", "Email", "e-mail", "attachments", "email/x"])
def test_a_source_name_must_fit_urls_and_audit_actions(name):
    from types import SimpleNamespace

    from hub.adviser.attachments import register_source

    with pytest.raises(ValueError):
        register_source(SimpleNamespace(extensions={}), name, object())  # type: ignore[arg-type]
