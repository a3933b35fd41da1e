def test_login_page_renders_in_chinese(client):
    """The login page answers in Chinese by default."""
    response = client.get("/login")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_login_reaches_home(login_as, client):
    """A staff member signs in and sees the home page."""
    login_as("staff")
    assert client.get("/").status_code == 200
