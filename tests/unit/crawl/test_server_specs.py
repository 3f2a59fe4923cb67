from pathlib import Path

import pytest

from infra.firecrawl_mcp import FirecrawlTarget, http_env, server_env, server_specs

TARGET = FirecrawlTarget(api_url="http://127.0.0.1:3002")


def test_specs_from_json_with_stdio_and_http_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("infra.firecrawl_mcp.node_binary", lambda: "/usr/bin/node")
    raw = (
        '[{"name": "a", "transport": "stdio"}, {"name": "b", "transport": "http", "url": "http://127.0.0.1:3011/mcp"}]'
    )
    specs = server_specs(raw, TARGET, Path("/opt/tools"))
    assert [(s.name, s.transport) for s in specs] == [("a", "stdio"), ("b", "http")]
    stdio = specs[0].stdio
    assert stdio is not None and stdio.command == "/usr/bin/node"
    assert stdio.args == ["/opt/tools/node_modules/firecrawl-mcp/dist/index.js"]
    assert stdio.env is not None and stdio.env["FIRECRAWL_API_URL"] == "http://127.0.0.1:3002"
    assert specs[1].url == "http://127.0.0.1:3011/mcp"


@pytest.mark.parametrize("raw", ["", "{}", "[]", '[{"transport": "http"}]', '[{"transport": "sse"}]', "[1]"])
def test_bad_server_lists_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        server_specs(raw, TARGET)


def test_the_api_url_is_always_set_and_secrets_are_not_inherited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIRECRAWL_API_KEY", "fc-should-not-leak")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid")
    env = server_env(TARGET)
    assert env["FIRECRAWL_API_URL"] == "http://127.0.0.1:3002"
    assert "FIRECRAWL_API_KEY" not in env and "HTTPS_PROXY" not in env
    assert server_env(FirecrawlTarget("https://api.firecrawl.dev", "fc-real"))["FIRECRAWL_API_KEY"] == "fc-real"
    http = http_env(TARGET, 3011)
    assert (http["HTTP_STREAMABLE_SERVER"], http["PORT"], http["HOST"]) == ("true", "3011", "127.0.0.1")
