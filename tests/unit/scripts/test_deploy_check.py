"""`make deploy-check`: the Kubernetes base renders and validates, the Compose file fits its
schema, and the checks catch a missing probe, limit, policy, service or a literal password."""

import copy
import importlib.util
import shutil
import subprocess

import pytest
import yaml

from coach.paths import ROOT

spec = importlib.util.spec_from_file_location("deploy_check", ROOT / "scripts" / "deploy_check.py")
deploy_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(deploy_check)

needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")


@pytest.fixture(scope="module")
def objects():
    return deploy_check.render()


@needs_kubectl
def test_make_deploy_check_passes():
    done = subprocess.run(["make", "-s", "deploy-check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid for Kubernetes" in done.stdout


@needs_kubectl
def test_the_base_has_no_problem(objects):
    assert list(deploy_check.k8s_problems(objects)) == []


@needs_kubectl
def test_a_missing_probe_limit_or_non_root_is_caught(objects):
    broken = copy.deepcopy(objects)
    rasa = next(o for o in broken if o["kind"] == "Deployment" and o["metadata"]["name"] == "rasa")
    pod = rasa["spec"]["template"]["spec"]
    del pod["containers"][0]["readinessProbe"]
    del pod["containers"][0]["resources"]["limits"]
    pod["securityContext"]["runAsNonRoot"] = False
    assert set(deploy_check.k8s_problems(broken)) == {
        "Deployment/rasa: runAsNonRoot is not set",
        "Deployment/rasa container rasa: no readinessProbe",
        "Deployment/rasa container rasa: resources.limits needs cpu and memory",
    }


@needs_kubectl
def test_a_missing_policy_a_literal_password_or_an_unknown_field_is_caught(objects):
    broken = [
        o for o in copy.deepcopy(objects) if o["metadata"]["name"] != "actions-from-rasa-only"
    ]
    rasa = next(o for o in broken if o["kind"] == "Deployment" and o["metadata"]["name"] == "rasa")
    container = rasa["spec"]["template"]["spec"]["containers"][0]
    container["env"].append({"name": "REDIS_PASSWORD", "value": "hunter2"})
    container["livenessProbe"]["httpGet"]["pth"] = "/"
    problems = list(deploy_check.k8s_problems(broken))
    assert "NetworkPolicy: nothing allows the action server from Rasa (port 5055)" in problems
    assert any("REDIS_PASSWORD is a literal" in p for p in problems)
    assert any(p.startswith("Deployment/rasa:") and "pth" in p for p in problems)


def test_the_compose_file_fits_the_schema_and_a_broken_one_does_not(tmp_path):
    assert list(deploy_check.compose_problems()) == []
    compose = yaml.safe_load(deploy_check.COMPOSE_FILE.read_text(encoding="utf-8"))
    del compose["services"]["redis"]
    compose["services"]["nginx"]["ports"] = "8080"
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(compose), encoding="utf-8")
    problems = list(deploy_check.compose_problems(path))
    assert "compose.yaml: no redis service" in problems
    assert any(p.startswith("compose.yaml services/nginx/ports") for p in problems)
