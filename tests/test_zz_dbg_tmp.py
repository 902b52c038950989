def test_x(client, make_user, login_as):
    u = make_user(represent="GHA")
    login_as(u)
    with client.session_transaction() as s:
        print(dict(s))
    r = client.get("/account")
    print(r.status_code, r.headers.get("Location"))
