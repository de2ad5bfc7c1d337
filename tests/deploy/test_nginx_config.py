"""deploy/nnlab.conf as deploy/serve.py renders it: nginx itself checks it (`nginx -t`)."""
from __future__ import annotations

import gzip
from pathlib import Path

from deploy import serve
from tests.deploy.conftest import need

REPLICAS = ["127.0.0.1:8501", "127.0.0.1:8502", "127.0.0.1:8503"]


def nginx_t(tmp_path: Path, servers: list[str]):
    """`nginx -t` on the site for `servers`, inside the whole config `up` runs."""
    need("nginx")
    site, conf = tmp_path / "nnlab.conf", tmp_path / "nginx.conf"
    site.write_text(serve.render(servers, "127.0.0.1:8080", serve.streamlit_static()))
    conf.write_text(serve.main_config(tmp_path, site, serve.streamlit_static()))
    return serve.check_nginx(conf)


def test_nginx_accepts_the_rendered_config(tmp_path):
    done = nginx_t(tmp_path, REPLICAS)
    assert done.returncode == 0, done.stderr


def test_nginx_t_would_catch_a_broken_config(tmp_path):
    done = nginx_t(tmp_path, [])   # an upstream without servers
    assert done.returncode != 0 and "no servers are inside upstream" in done.stderr


def test_render_fills_in_the_replicas_the_port_and_the_static_files():
    text = serve.render(REPLICAS, "80", "/srv/streamlit-static")
    assert "{{" not in text
    assert all(f"server {r} " in text for r in REPLICAS)
    assert "listen 80;" in text and "root /srv/streamlit-static;" in text
    assert "hash $nnlab_route consistent;" in text and "ip_hash;" not in text   # a NAT would send all to one


def test_the_static_directory_is_streamlits_own():
    static = serve.streamlit_static()
    assert (static / "index.html").is_file() and list((static / "static" / "js").glob("index.*.js"))


def test_the_static_files_are_precompressed_once_per_streamlit_version(tmp_path):
    dest = serve.precompressed(tmp_path / "static")
    bundle = next((dest / "static" / "js").glob("index.*.js"))
    twin = bundle.with_name(bundle.name + ".gz")
    assert gzip.decompress(twin.read_bytes()) == bundle.read_bytes()
    assert (dest / "index.html").read_bytes() == (serve.streamlit_static() / "index.html").read_bytes()
    assert not list(dest.rglob("*.woff2.gz"))           # fonts come compressed already
    made = twin.stat().st_mtime_ns
    assert serve.precompressed(dest) == dest and twin.stat().st_mtime_ns == made   # not made again


def test_an_operators_commands_make_a_site_nginx_accepts(tmp_path, capsys):
    """What deploy/systemd/nnlab@.service's notes and deploy/Dockerfile run: `static DIR`, then `render` into
    the nginx's conf.d."""
    need("nginx")
    assert serve.cli(["static", str(tmp_path / "static")]) == 0
    capsys.readouterr()
    assert serve.cli(["render", "--server", "127.0.0.1:8501", "--server", "127.0.0.1:8502", "--listen", "80",
                      "--static", str(tmp_path / "static")]) == 0
    site = tmp_path / "nnlab.conf"
    site.write_text(capsys.readouterr().out)
    (tmp_path / "nginx.conf").write_text(serve.main_config(tmp_path, site, tmp_path / "static"))
    done = serve.check_nginx(tmp_path / "nginx.conf")
    assert done.returncode == 0, done.stderr
    assert f"root {tmp_path / 'static'};" in site.read_text()
