"""Malformed requests against every endpoint of the box: a clear 4xx answer, never a 5xx or a traceback."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from boxhelpers import new_box
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from iot_box.web import BoxWeb

PATHS = ["/", "/status.json", "/static/style.css", "/credential", "/connect", "/nope", "//", "/%00", "/connect/"]
text = st.text(max_size=300)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    box = new_box(tmp_path_factory.mktemp("box"))
    box.ensure_admin_password("pw")
    yield Client(BoxWeb(box))
    box.stop()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]),
       path=st.one_of(st.sampled_from(PATHS), text.map(lambda t: "/" + quote(t))),
       query=st.dictionaries(text, text, max_size=4),
       form=st.dictionaries(st.sampled_from(["token", "password", "csrf_token", "db_uuid", "enterprise_code",
                                             "action"]) | text, text, max_size=6),
       headers=st.dictionaries(st.sampled_from(["Accept-Language", "Cookie", "Content-Type"]),
                               st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=100)))
def test_no_request_breaks_the_box(client, method, path, query, form, headers):
    response = client.open(path, method=method, query_string=query, data=form or None, headers=headers)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.get_data(as_text=True)
