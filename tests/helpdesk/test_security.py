"""The helpdesk's locks: login everywhere, admin pages for admins, CSRF on every form, escaping, a fair claim."""
from __future__ import annotations

import re
import threading

import pytest

from helpdesk import actions
from tests.support.desk import PASSWORD, Desk, conversation_id, make_staff

SAMPLE_ARGS = {"channel": "ebay", "conversation_id": 1, "listing_id": 1, "user_id": 1, "reply_id": 1,
               "key": "private/ab/" + "ab" * 32 + ".ogg", "photo_id": 1, "move": "remove"}


def helpdesk_routes(app):
    """Every (method, path) under /helpdesk, built from the URL map so new routes are covered automatically."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/helpdesk") or rule.endpoint in ("helpdesk.login", "helpdesk.static"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{arg}>", str(SAMPLE_ARGS[arg]), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def _stuck(whatsapp) -> None:
    whatsapp.say("नमस्ते")
    whatsapp.say("इंसान से बात करनी है")


def test_every_helpdesk_route_refuses_anonymous_visitors(app, client, whatsapp):
    _stuck(whatsapp)
    routes = list(helpdesk_routes(app))
    assert len(routes) >= 20
    for method, path in routes:
        resp = client.open(path, method=method, data={})
        assert resp.status_code in (302, 401), (method, path, resp.status_code)
        if resp.status_code == 302:
            assert "/helpdesk/login" in resp.headers["Location"], (method, path)
        assert "इंसान" not in resp.get_data(as_text=True)


def test_an_agent_cannot_reach_admin_pages(app, agent):
    for method, path in helpdesk_routes(app):
        if "/admin/" in path:
            resp = agent.client.open(path, method=method, data={"csrf_token": agent.token(), "name": "x",
                                                                "action": "role", "role": "admin"})
            assert resp.status_code == 403, (method, path)


def test_an_admin_reaches_them(admin):
    assert admin.get("/helpdesk/admin/staff").status_code == 200
    assert admin.get("/helpdesk/admin/canned").status_code == 200


def test_forms_without_the_csrf_token_are_refused(app, whatsapp, agent):
    _stuck(whatsapp)
    cid = conversation_id(app, whatsapp.number)
    for path in (f"/helpdesk/c/{cid}/claim", f"/helpdesk/c/{cid}/note", "/helpdesk/logout"):
        assert agent.client.post(path, data={"body": "x"}).status_code == 400
        assert agent.client.post(path, data={"body": "x", "csrf_token": "forged"}).status_code == 400
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert "asha" not in re.sub(r"<header.*?</header>", "", page, flags=re.S)  # nothing was claimed
    fresh = app.test_client()
    assert fresh.post("/helpdesk/login", data={"name": "asha", "password": PASSWORD}).status_code == 400


def test_every_form_on_the_pages_carries_the_token(app, whatsapp, agent, admin):
    _stuck(whatsapp)
    cid = conversation_id(app, whatsapp.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    for desk, path in ((agent, f"/helpdesk/c/{cid}"), (agent, "/helpdesk/"), (admin, "/helpdesk/admin/staff"),
                       (admin, "/helpdesk/admin/canned")):
        page = desk.get(path).get_data(as_text=True)
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", page, flags=re.S):
            assert 'name="csrf_token"' in form, (path, form[:120])


def test_artisan_text_with_script_is_shown_as_text(app, whatsapp, agent):
    _stuck(whatsapp)
    whatsapp.say('<script>alert("x")</script><img src=x onerror=alert(1)>')
    cid = conversation_id(app, whatsapp.number)
    for path in ("/helpdesk/", f"/helpdesk/c/{cid}", f"/helpdesk/c/{cid}/transcript"):
        page = agent.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)


def test_pages_send_security_headers_and_a_safe_cookie(app, agent):
    resp = agent.get("/helpdesk/")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["X-Content-Type-Options"] == "nosniff"
    login = app.test_client().get("/helpdesk/login")
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_cookie_is_secure_behind_https(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_repeated_wrong_passwords_lock_the_account(app):
    make_staff(app, "mohan")
    desk = Desk(app.test_client(), type("U", (), {"name": "mohan"}))
    for _ in range(5):
        assert desk.login("wrong password!").status_code == 401
    locked = desk.login(PASSWORD)
    assert locked.status_code == 401 and "locked" in locked.get_data(as_text=True)


def test_unknown_names_and_wrong_passwords_look_alike(app):
    make_staff(app, "mohan")
    a = Desk(app.test_client(), type("U", (), {"name": "mohan"})).login("wrong password!")
    b = Desk(app.test_client(), type("U", (), {"name": "nobody"})).login("wrong password!")
    assert a.status_code == b.status_code == 401
    assert "Wrong name or password" in a.get_data(as_text=True) and "Wrong name or password" in b.get_data(as_text=True)


def test_a_one_time_password_must_be_changed_first(app):
    from helpdesk.accounts import ensure_first_admin

    with app.extensions["hunar"].db.session() as s:
        name, password = ensure_first_admin(s, app.extensions["hunar"].clock())
    with app.extensions["hunar"].db.session() as s:
        assert ensure_first_admin(s, app.extensions["hunar"].clock()) is None  # only when there is no staff at all
    desk = Desk(app.test_client(), type("U", (), {"name": name}))
    assert desk.login(password).headers["Location"].endswith("/helpdesk/password")
    assert desk.get("/helpdesk/").headers["Location"].endswith("/helpdesk/password")
    resp = desk.post("/helpdesk/password", {"current": password, "new": "a much better one", "again": "a much better one"})
    assert resp.status_code == 302
    assert desk.get("/helpdesk/").status_code == 200


def test_logout_ends_the_session(agent):
    assert agent.post("/helpdesk/logout").status_code == 302
    assert agent.get("/helpdesk/").status_code == 302


@pytest.mark.parametrize("attempts", range(3))
def test_two_staff_claiming_at_once_one_wins_the_other_is_told(app, whatsapp, attempts):
    _stuck(whatsapp)
    cid = conversation_id(app, whatsapp.number)
    users = [make_staff(app, f"staff{n}") for n in range(2)]
    services = app.extensions["hunar"]
    barrier = threading.Barrier(2)
    results = {}

    def claim(user):
        barrier.wait()
        results[user.name] = actions.claim(services, cid, user)

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    won = [name for name, (ok, _) in results.items() if ok]
    assert len(won) == 1
    loser = next(name for name in results if name not in won)
    assert results[loser] == (False, won[0])  # told who has it
    staff_notices = [m for m in whatsapp.state()["messages"] if m["author"] == "staff"]
    assert len(staff_notices) == 1


def test_the_loser_of_a_claim_is_told_on_the_page(app, whatsapp, agent):
    _stuck(whatsapp)
    cid = conversation_id(app, whatsapp.number)
    other = Desk(app.test_client(), make_staff(app, "bina"))
    other.login()
    other.get(f"/helpdesk/c/{cid}")
    agent.get(f"/helpdesk/c/{cid}")
    assert agent.post(f"/helpdesk/c/{cid}/claim").status_code == 303
    resp = other.post(f"/helpdesk/c/{cid}/claim")
    assert resp.headers.get("X-Helpdesk-Conflict") == "claimed"
    assert "Too late: asha has already taken" in other.get(f"/helpdesk/c/{cid}").get_data(as_text=True)


def test_the_bundled_font_may_load_under_the_csp(client):
    """Staff laptops without a Devanagari font still read artisans' Hindi: the CSP lets /static fonts load."""
    resp = client.get("/helpdesk/login")
    assert "/static/fonts.css" in resp.get_data(as_text=True)
    assert "font-src 'self'" in resp.headers["Content-Security-Policy"]
