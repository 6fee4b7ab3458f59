"""The home page renders for readers, cheaply, under a strict CSP."""


def test_home_page_renders_with_a_bounded_number_of_queries(
    client, home_page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/")

    assert response.status_code == 200
    assert home_page.title in response.content.decode()


def test_reader_pages_get_a_strict_content_security_policy(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_admin_gets_the_relaxed_policy_it_needs(client, db):
    policy = client.get("/admin/login/")["Content-Security-Policy"]

    assert "'unsafe-inline'" in policy


def test_unknown_url_gives_the_sites_own_404_page(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
