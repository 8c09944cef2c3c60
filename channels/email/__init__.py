"""The email channel: three intakes (webhook, SMTP listener, IMAP poller), one parser, one store.

Mail is the written channel where helpdesks fail most visibly: replies that start new cases,
out-of-office loops, mangled encodings, lost attachments. Everything here exists to get those
right; see docs/decisions/0016-email-channel.md.
"""
