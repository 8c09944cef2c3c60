"""Two advisers pressing "take the next case" at the same moment get different cases (PostgreSQL)."""
import threading

from hub.auth.access import Scope


def test_concurrent_takes_get_different_cases(pg_app):
    from fixtures.staff import PASSWORD
    from hub.adviser import service
    from hub.cases import queries
    from hub.db import get_session
    from hub.users.service import add_user

    ann = add_user("ann@example.org", PASSWORD, "adviser", ["WCITY"])
    bob = add_user("bob@example.org", PASSWORD, "adviser", ["WCITY"])
    ids = []
    for n in range(3):
        case = queries.new_case(channel="web", status="open", authority_code="WCITY", priority=2,
                                service_code="environment.noise", summary=f"case {n}")
        ids.append(case.id)
    get_session().commit()

    start, hold = threading.Barrier(2, timeout=20), threading.Barrier(2, timeout=20)
    taken: dict[int, int | None] = {}
    errors: list[BaseException] = []

    def take(user_id: int) -> None:
        try:
            with pg_app.app_context():  # its own session and transaction
                actor = service.Actor(user_id=user_id, scope=Scope(frozenset({"WCITY"})))
                start.wait()
                case = service.take_next(actor, service.QueueFilter())
                taken[user_id] = case.id if case else None
                # Both transactions hold their claim at the same time before either commits:
                # without SKIP LOCKED the second would block here and the barrier would time out.
                hold.wait()
                get_session().commit()
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=take, args=(u.id,)) for u in (ann, bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert set(taken) == {ann.id, bob.id}
    assert None not in taken.values() and taken[ann.id] != taken[bob.id]
    assert set(taken.values()) <= set(ids)
    sess = get_session()
    sess.expire_all()
    owners = {queries.get_case(i).assigned_to_id for i in taken.values()}
    assert owners == {ann.id, bob.id}
