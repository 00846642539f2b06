"""Odoo's own client libraries against a real ``iot-server serve``: OdooRPC (JSON-RPC ``/jsonrpc``), odooly (the
web client's JSON routes: ``/web/session/authenticate``, ``/web/dataset/call_kw``) and erppeek (XML-RPC with the
older string fault codes). Each connects, lists the databases, logs in, counts, reads and calls
``iot.eligibility.check``; a wrong password, a missing access right and an unknown method reach the script as the
library's own exception with the server's message (docs/external-api.md)."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass

import erppeek
import odooly
import odoorpc
import psycopg2
import pytest

from iot_stack.system import Ports, System
from odoo_host.postgres import scratch_database
from odoo_host.tests import server_dsn

DEMO_BOXES = ["Back office", "Kitchen printer", "Payment terminal hub", "Shop counter", "Warehouse scale"]
ACCESS_ERROR = "You are not allowed to modify 'IoT Box' (iot.box) records."


@dataclass
class Server:
    url: str
    port: int
    db: str
    reader_api_key: str = ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo system (a database of its own, the mock odoo.com, ``iot-server serve``) with a second user who
    may read IoT boxes but not change them."""
    with scratch_database(server_dsn()) as dsn, System(tmp_path_factory.mktemp("clients"), Ports.free(), dsn) as system:
        system.start_demo_server()
        running = Server(system.server_url, system.ports.server, psycopg2.extensions.parse_dsn(dsn)["dbname"])
        admin = odoorpc.ODOO("127.0.0.1", port=running.port)
        admin.login(running.db, "admin", "admin")
        employee = admin.env.ref("base.group_user").id
        admin.env["res.users"].create(
            {"name": "Reader", "login": "reader", "password": "reader-pw", "groups_id": [(6, 0, [employee])]}
        )
        running.reader_api_key = system.server_command("api-key", "--login", "reader").strip().splitlines()[-1]
        yield running


def test_odoorpc_connects_logs_in_reads_and_checks_eligibility(server):
    odoo = odoorpc.ODOO("127.0.0.1", port=server.port)
    assert odoo.version == "17.0"
    assert odoo.db.list() == [server.db]
    odoo.login(server.db, "admin", "admin")
    assert odoo.env.user.login == "admin"
    assert odoo.env.lang == "en_US"

    Box = odoo.env["iot.box"]
    assert Box.search_count([]) == len(DEMO_BOXES)
    ids = Box.search([], order="name")
    rows = Box.read(ids, ["name", "identifier"])
    assert [row["name"] for row in rows] == DEMO_BOXES
    found = Box.search_read([("identifier", "=", "00:1a:2b:3c:4d:01")], ["name", "certificate_state"])
    assert [(row["name"], row["certificate_state"]) for row in found] == [("Shop counter", "valid")]
    assert Box.name_get(ids[:2]) == [[ids[0], "Back office"], [ids[1], "Kitchen printer"]]
    box = Box.browse(ids[0])
    assert (box.name, box.display_name, box.ip_url) == ("Back office", "Back office", "http://10.0.0.15:8080")
    fields = Box.fields_get(["certificate_state"], attributes=["type", "string", "selection"])
    assert fields["certificate_state"]["type"] == "selection"

    verdict = odoo.env["iot.eligibility"].check()
    assert verdict["eligible"] is True, verdict
    assert odoo.execute_kw("iot.eligibility", "check", [], {})["eligible"] is True
    assert odoo.logout() is True


def test_odoorpc_errors_are_its_own_exceptions_with_the_servers_message(server):
    odoo = odoorpc.ODOO("127.0.0.1", port=server.port)
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        odoo.login(server.db, "admin", "wrong")

    odoo.login(server.db, "reader", "reader-pw")
    Box = odoo.env["iot.box"]
    ids = Box.search([])
    assert len(ids) == len(DEMO_BOXES), "a reader may read"
    with pytest.raises(odoorpc.error.RPCError) as refused:
        Box.write(ids[:1], {"name": "Renamed"})
    assert str(refused.value) == ACCESS_ERROR
    assert refused.value.info["data"]["name"] == "odoo.exceptions.AccessError"
    assert Box.read(ids[:1], ["name"])[0]["name"] != "Renamed"

    with pytest.raises(odoorpc.error.RPCError, match="The method 'launch' does not exist on the model 'iot.box'"):
        Box.launch(ids[:1])
    with pytest.raises(odoorpc.error.RPCError, match="Private methods"):
        odoo.execute("iot.eligibility", "_evaluate")
    assert "Traceback" not in str(refused.value.info)


def test_odoorpc_logs_in_with_an_api_key_in_place_of_the_password(server):
    odoo = odoorpc.ODOO("127.0.0.1", port=server.port)
    odoo.login(server.db, "reader", server.reader_api_key)
    assert odoo.env.user.login == "reader"
    assert odoo.env["iot.box"].search_count([]) == len(DEMO_BOXES)


def test_odooly_connects_through_the_web_client_routes(server):
    client = odooly.Client(server.url, server.db, "admin", "admin")
    assert client.server_version == "17.0"
    assert client.database.list() == [server.db]
    env = client.env
    assert env.uid and env.user.login == "admin"
    assert env.session_info["db"] == server.db

    Box = env["iot.box"]
    assert Box.search_count([]) == len(DEMO_BOXES)
    boxes = Box.search([], order="name")
    assert boxes.name == DEMO_BOXES
    assert Box.read([("name", "=", "Kitchen printer")], "identifier") == ["00:1a:2b:3c:4d:02"]
    rows = Box.search_read([("name", "like", "Shop")], ["identifier"])
    assert [row["identifier"] for row in rows] == ["00:1a:2b:3c:4d:01"]
    assert boxes[0].display_name == "Back office"
    assert env.execute("iot.box", "name_get", boxes.ids[:1]) == [[boxes.ids[0], "Back office"]]

    assert env["iot.eligibility"].check()["eligible"] is True
    assert client.web_session.get_session_info()["uid"] == env.uid
    env.session_destroy()
    with pytest.raises(odooly.ServerError) as expired:
        client.web_session.get_session_info()
    assert expired.value.args[0]["code"] == 100, "logged out: the session is over"


def test_odooly_over_jsonrpc(server):
    client = odooly.Client(f"{server.url}/jsonrpc", server.db, "admin", "admin")
    assert client.server_version == "17.0"
    valid = [("certificate_state", "=", "valid")]
    names = client.env["iot.box"].search(valid).name
    assert "Shop counter" in names, "the demo's box with a valid certificate"
    assert client.env["iot.box"].search_count(valid) == len(names)
    assert client.env["iot.eligibility"].check()["eligible"] is True


def test_odooly_errors_are_its_own_exceptions_with_the_servers_message(server):
    with pytest.raises(odooly.Error, match="Invalid username or password"):
        odooly.Client(server.url, server.db, "admin", "wrong")

    client = odooly.Client(server.url, server.db, "reader", "reader-pw")
    Box = client.env["iot.box"]
    box = Box.search([])[:1]
    with pytest.raises(odooly.ServerError) as refused:
        box.write({"name": "Renamed"})
    data = refused.value.args[0]["data"]
    assert (data["name"], data["message"]) == ("odoo.exceptions.AccessError", ACCESS_ERROR)
    assert "Traceback" not in str(data)
    with pytest.raises(odooly.ServerError) as unknown:
        client.env.execute("iot.box", "launch", box.ids)
    assert unknown.value.args[0]["data"]["message"] == "The method 'launch' does not exist on the model 'iot.box'"


def test_erppeek_over_xmlrpc_and_its_string_faults(server):
    client = erppeek.Client(server.url, server.db, "admin", "admin")
    assert client.server_version == "17.0"
    assert client.db.list() == [server.db]
    assert client.count("iot.box") == len(DEMO_BOXES)
    assert sorted(client.read("iot.box", [("name", "!=", False)], "name")) == DEMO_BOXES
    assert client.execute("iot.eligibility", "check")["eligible"] is True

    with pytest.raises(erppeek.Error, match="Invalid username or password"):
        erppeek.Client(server.url, server.db, "admin", "wrong")
    reader = erppeek.Client(server.url, server.db, "reader", "reader-pw")
    with pytest.raises(xmlrpc.client.Fault) as refused:
        reader.write("iot.box", reader.search("iot.box", []), {"name": "Renamed"})
    assert refused.value.faultCode == f"warning -- AccessError\n\n{ACCESS_ERROR}"
    assert refused.value.faultString == ACCESS_ERROR, "the message, never a traceback"
    with pytest.raises(xmlrpc.client.Fault) as unknown:
        reader.execute("iot.box", "launch", [])
    unknown_method = "The method 'launch' does not exist on the model 'iot.box'"
    assert unknown.value.faultCode == f"warning -- UserError\n\n{unknown_method}"
