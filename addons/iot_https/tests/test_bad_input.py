"""Generated malformed calls to the box routes: every one gets a clear JSON-RPC error, never a 5xx or a
traceback, and none pairs a box or changes one."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odoo.tests.common import HttpCase, tagged

KEYS = [
    "identifier",
    "name",
    "ip",
    "version",
    "token",
    "ssl_certificate_end_date",
    "subject",
    "error_code",
    "error_detail",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
params = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=12), json_values, max_size=8)
secrets = st.none() | st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=80)


@tagged("post_install", "-at_install")
class TestBadInput(HttpCase):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        path=st.sampled_from(["/iot/setup", "/iot/box/update_certificate_status"]),
        params=params,
        secret=secrets,
    )
    def test_malformed_calls_get_a_clear_error(self, path, params, secret):
        headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
        response = self.make_jsonrpc_request(path, params, headers=headers)
        self.assertLess(response.status_code, 500)
        self.assertNotIn("Traceback", response.text)
        answer = response.json()
        self.assertIn("error", answer)
        self.assertTrue(answer["error"]["message"])
        self.assertFalse(self.env["iot.box"].search_count([]))
