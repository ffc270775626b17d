"""Static checks of the compose deployment (no Docker engine needed).

`docker-compose config -q` (Debian package `docker-compose`) validates the file
against the Compose schema and its ${VAR} interpolation; the rest parses the
YAML and checks the promises made in the README's Docker Compose section.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"

REQUIRED_SERVICES = {
    "postgres",
    "redis",
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "minio",
    "minio-init",
}
ONE_SHOT_SERVICES = {"airflow-init", "minio-init"}
AIRFLOW_SERVICES = {s for s in REQUIRED_SERVICES if s.startswith("airflow-")}

# ${VAR}, ${VAR:-default}, ${VAR:?message}, ... but not the escaped $${VAR},
# which is left for the container's shell.
VAR_REF = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?\-+][^}]*)?\}")
ENV_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")
SECRET_KEY = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|ACCESS_KEY", re.IGNORECASE)
URL_CREDENTIALS = re.compile(r"://[^/@\s:]*:([^@\s/]+)@")


# --------------------------------------------------------------------------- helpers


def compose_text() -> str:
    return COMPOSE_FILE.read_text()


def yaml_strings(node) -> list[str]:
    """Every scalar in the parsed file: what compose interpolates (no comments)."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in yaml_strings(k) + yaml_strings(v)]
    if isinstance(node, list):
        return [s for item in node for s in yaml_strings(item)]
    return [str(node)] if node is not None else []


def compose_values() -> str:
    return "\n".join(yaml_strings(yaml.safe_load(compose_text())))


@pytest.fixture(scope="module")
def compose() -> dict:
    # SafeLoader resolves the YAML merge keys (<<: *airflow-common).
    return yaml.safe_load(compose_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env_example_vars() -> dict[str, str]:
    out = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        m = ENV_LINE.match(line)
        if m and not line.lstrip().startswith("#"):
            out[m.group(1)] = m.group(2).strip()
    return out


def compose_vars(text: str) -> set[str]:
    return set(VAR_REF.findall(text))


def environment_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def compose_cmd() -> list[str] | None:
    """Prefer the Compose v2 plugin, fall back to Debian's docker-compose."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], check=False, capture_output=True, text=True
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def run_config(env_file: Path) -> subprocess.CompletedProcess:
    cmd = compose_cmd()
    if cmd is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI must install Debian's docker-compose (apt-get install -y docker-compose)"
            )
        pytest.skip(
            "neither `docker compose` nor `docker-compose` is installed "
            "(apt-get install docker-compose); CI installs it"
        )
    # Keep the caller's shell from satisfying ${VAR:?} for us: only env_file counts.
    env = {k: v for k, v in os.environ.items() if k not in env_example_vars()}
    env.pop("COMPOSE_FILE", None)
    env.pop("COMPOSE_PROJECT_NAME", None)
    return subprocess.run(
        [
            *cmd,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(env_file),
            "-f",
            str(COMPOSE_FILE),
            "config",
            "-q",
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def filled_env_file(tmp_path: Path, skip: str | None = None) -> Path:
    """.env.example with every empty (secret) value given a dummy."""
    lines = []
    for line in ENV_EXAMPLE.read_text().splitlines():
        m = ENV_LINE.match(line)
        if m and not line.lstrip().startswith("#"):
            name, value = m.group(1), m.group(2).strip()
            if name == skip:
                continue
            if not value:
                line = f"{name}=dummy-{name.lower()}"
        lines.append(line)
    path = tmp_path / ".env"
    path.write_text("\n".join(lines) + "\n")
    return path


# --------------------------------------------------------------------------- docker-compose config


def test_compose_config_validates_with_filled_env_example(tmp_path):
    result = run_config(filled_env_file(tmp_path))
    assert result.returncode == 0, result.stderr


def test_compose_config_refuses_unfilled_env_example(tmp_path):
    # .env.example ships with empty secrets; compose must refuse them, not
    # start on a blank password.
    env_file = tmp_path / ".env"
    env_file.write_text(ENV_EXAMPLE.read_text())
    result = run_config(env_file)
    assert result.returncode != 0
    assert "in .env" in (result.stderr + result.stdout)


REQUIRED_VARS = sorted(
    set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*):\?", compose_values()))
)


def test_every_secret_is_required():
    secrets = {v for v in compose_vars(compose_values()) if SECRET_KEY.search(v)}
    assert secrets, "compose file references no secrets"
    optional = secrets - set(REQUIRED_VARS)
    assert not optional, (
        f"secrets with a default or none of ${{VAR:?}}: {sorted(optional)}"
    )


@pytest.mark.parametrize("variable", REQUIRED_VARS or ["<none>"])
def test_compose_config_refuses_each_missing_required_variable(tmp_path, variable):
    assert variable != "<none>", "compose file has no ${VAR:?} at all"
    result = run_config(filled_env_file(tmp_path, skip=variable))
    assert result.returncode != 0, f"compose accepted a missing {variable}"
    assert variable in (result.stderr + result.stdout)


# --------------------------------------------------------------------------- services


def test_required_services_present(services):
    missing = REQUIRED_SERVICES - set(services)
    assert not missing, f"missing services: {sorted(missing)}"


def test_worker_is_scalable(services):
    worker = services["airflow-worker"]
    assert "container_name" not in worker
    assert not worker.get("ports"), "fixed host ports break --scale airflow-worker=N"


def test_no_container_names_anywhere(services):
    # Fixed names stop two checkouts (or CI) from running side by side.
    named = [name for name, svc in services.items() if "container_name" in svc]
    assert not named


def test_airflow_services_use_built_image_and_celery(services):
    for name in AIRFLOW_SERVICES:
        svc = services[name]
        assert svc.get("build") in (".", {"context": "."}), name
        env = environment_of(svc)
        assert env.get("AIRFLOW__CORE__EXECUTOR") == "CeleryExecutor", name
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in env, name


def test_dags_and_input_mounts(services):
    for name in AIRFLOW_SERVICES:
        volumes = [str(v) for v in services[name].get("volumes", [])]
        assert any(
            v.endswith(":/opt/airflow/dags") or ":/opt/airflow/dags:" in v
            for v in volumes
        ), f"{name}: no DAGs mount"
        assert any(v.startswith("./dags:") for v in volumes), (
            f"{name}: DAGs not from ./dags"
        )
        inputs = [v for v in volumes if ":/data/input" in v]
        assert inputs, f"{name}: no input mount"
        assert all(v.endswith(":ro") for v in inputs), (
            f"{name}: input must be read-only"
        )
        assert any(":/opt/airflow/logs" in v for v in volumes), (
            f"{name}: no logs volume"
        )


def test_newsetl_env_defaults(services):
    for name in AIRFLOW_SERVICES:
        env = environment_of(services[name])
        assert env.get("NEWSETL_INPUT") == "/data/input", name
        assert "NEWSETL_OUTPUT" in env, name
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"):
            assert key in env, f"{name}: {key}"
        assert env.get("AWS_ENDPOINT_URL") == "http://minio:9000", name


def test_init_creates_pool_and_admin(services):
    init = services["airflow-init"]
    script = (
        init["command"]
        if isinstance(init["command"], str)
        else "\n".join(init["command"])
    )
    assert "airflow pools set newsetl_shards" in script
    env = environment_of(init)
    assert env.get("_AIRFLOW_DB_MIGRATE") == "true"
    assert env.get("_AIRFLOW_WWW_USER_CREATE") == "true"


def test_minio_init_creates_bucket(services):
    command = services["minio-init"]["command"]
    script = command if isinstance(command, str) else "\n".join(command)
    assert re.search(r"\bmc mb\b", script)


def test_healthchecks_on_long_running_services(services):
    for name, svc in services.items():
        if name in ONE_SHOT_SERVICES:
            continue
        health = svc.get("healthcheck")
        assert health and health.get("test"), f"{name}: no healthcheck"
        assert not health.get("disable"), f"{name}: healthcheck disabled"


def test_api_server_health_probes_the_execution_api(services):
    """Workers' tasks call the execution API, which the api-server builds on its first request: the check
    must probe it (warming it before any task calls it), with time for that first build."""
    health = services["airflow-apiserver"]["healthcheck"]
    assert any("/execution/health" in part for part in health["test"])
    assert int(str(health["timeout"]).rstrip("s")) >= 30


def test_depends_on_uses_conditions(services):
    for name, svc in services.items():
        deps = svc.get("depends_on")
        if not deps:
            continue
        assert isinstance(deps, dict), f"{name}: depends_on without conditions"
        for dep, spec in deps.items():
            assert dep in services, f"{name} depends on unknown {dep}"
            expected = (
                "service_completed_successfully"
                if dep in ONE_SHOT_SERVICES
                else "service_healthy"
            )
            assert spec.get("condition") == expected, f"{name} -> {dep}"


def test_airflow_services_wait_for_init(services):
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        assert "airflow-init" in services[name]["depends_on"], name
    assert "minio-init" in services["airflow-worker"]["depends_on"]


# --------------------------------------------------------------------------- secrets and .env.example


def test_every_compose_variable_is_documented():
    documented = set(env_example_vars())
    used = compose_vars(compose_values())
    assert used, "no ${VAR} found: the regex or the file is broken"
    undocumented = used - documented
    assert not undocumented, f"not in .env.example: {sorted(undocumented)}"


def test_env_example_has_no_stale_variables():
    stale = set(env_example_vars()) - compose_vars(compose_values())
    assert not stale, f"documented but unused: {sorted(stale)}"


def test_env_example_variables_have_comments():
    lines = ENV_EXAMPLE.read_text().splitlines()
    for i, line in enumerate(lines):
        m = ENV_LINE.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        j = i - 1
        while (
            j >= 0
            and ENV_LINE.match(lines[j])
            and not lines[j].lstrip().startswith("#")
        ):
            j -= 1  # a group of related variables may share one comment
        assert j >= 0 and lines[j].lstrip().startswith("#"), (
            f"{m.group(1)} has no comment"
        )


def test_env_example_ships_no_secret_values():
    for name, value in env_example_vars().items():
        if SECRET_KEY.search(name):
            assert value == "", f"{name} has a value in .env.example"


def test_env_example_explains_how_to_generate_secrets():
    text = ENV_EXAMPLE.read_text()
    assert "Fernet" in text and "openssl rand" in text


def test_no_literal_secrets_in_compose(services):
    for name, svc in services.items():
        for key, value in environment_of(svc).items():
            if SECRET_KEY.search(key) and value:
                assert VAR_REF.fullmatch(value), (
                    f"{name}: {key} is a literal: {value!r}"
                )
            for password in URL_CREDENTIALS.findall(value):
                assert VAR_REF.fullmatch(password), (
                    f"{name}: {key} embeds a literal password"
                )


def test_no_secret_literals_anywhere_in_text():
    # Catches secrets outside `environment:` too (command lines, anchors).
    for lineno, line in enumerate(compose_text().splitlines(), 1):
        stripped = line.split("#", 1)[0]
        m = re.match(r"\s*-?\s*([A-Za-z0-9_]+)\s*[:=]\s*(\S.*)$", stripped)
        if m and SECRET_KEY.search(m.group(1)):
            value = m.group(2).strip().strip("'\"")
            assert VAR_REF.fullmatch(value), (
                f"line {lineno}: literal secret {line.strip()!r}"
            )


def test_no_env_file_or_pip_additional_requirements():
    text = compose_text()
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in text


# --------------------------------------------------------------------------- Dockerfile


def dockerfile_instructions() -> list[str]:
    # Join continuation lines, drop comments.
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return [
        ln.strip()
        for ln in text.splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]


def test_dockerfile_uses_official_airflow_3_3_image():
    froms = [ln for ln in dockerfile_instructions() if ln.upper().startswith("FROM ")]
    assert froms, "no FROM"
    assert re.fullmatch(r"FROM apache/airflow:3\.3\.\d+(-python3\.\d+)?( AS \w+)?", froms[0]), (
        froms[0]
    )


def test_dockerfile_installs_requirements_with_pinned_airflow():
    lines = dockerfile_instructions()
    assert any(re.match(r"COPY .*\brequirements\.txt\b", ln) for ln in lines)
    installs = [ln for ln in lines if ln.startswith("RUN") and "pip install" in ln]
    assert installs, "no pip install"
    run = " ".join(installs)
    assert re.search(r"-r \S*requirements\.txt", run)
    assert '"apache-airflow==${AIRFLOW_VERSION}"' in run
    assert "--no-cache-dir" in run
    # Celery stack extras are pinned exactly.
    for package in ("apache-airflow-providers-celery", "psycopg2-binary", "redis"):
        assert re.search(rf'"{re.escape(package)}==[^"]+"', run), package


def test_dockerfile_installs_as_airflow_user():
    lines = dockerfile_instructions()
    pip_at = next(i for i, ln in enumerate(lines) if "pip install" in ln)
    users = [ln for ln in lines[:pip_at] if ln.upper().startswith("USER ")]
    assert users and users[-1].split()[1] == "airflow"


def test_dockerfile_ships_pipeline_on_pythonpath():
    lines = dockerfile_instructions()
    copy = [ln for ln in lines if re.match(r"COPY .*\bpipeline/?\s+(\S+)", ln)]
    assert copy, "pipeline/ not copied"
    dest = copy[0].split()[-1].rstrip("/")
    parent = dest.rsplit("/", 1)[0]
    assert any(
        ln.startswith("ENV") and "PYTHONPATH" in ln and parent in ln for ln in lines
    ), f"{parent} not on PYTHONPATH"


def test_dockerignore_keeps_context_small():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert "*" in ignore or ".git" in ignore
