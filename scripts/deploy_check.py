"""Checks the deployment files offline (`make deploy-check`).

1. Renders the kustomize base with ``kubectl kustomize deploy/k8s`` and validates every
   object against the Kubernetes API schemas shipped in kubernetes-validate (strict: an
   unknown field is an error).
2. Checks what the base must carry: Deployments for the Rasa and action servers with
   readiness, liveness and startup probes, resource requests and limits and runAsNonRoot;
   their Services; a HorizontalPodAutoscaler; NetworkPolicies that deny by default and let
   Rasa reach the action server, PostgreSQL and Redis; passwords only as Secret references
   (no Secret object, no literal password).
3. Validates deploy/compose.yaml against the Compose specification's JSON schema (vendored
   in deploy/schema/compose-spec.json) and checks it has Rasa, actions, PostgreSQL, Redis
   and nginx.

Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES_VERSION = "1.28.0"
K8S_DIR = ROOT / "deploy" / "k8s"
COMPOSE_FILE = ROOT / "deploy" / "compose.yaml"
COMPOSE_SCHEMA = ROOT / "deploy" / "schema" / "compose-spec.json"
SERVERS = ("rasa", "actions")
COMPOSE_SERVICES = ("actions", "postgres", "redis", "nginx")


def render(directory: Path = K8S_DIR) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise SystemExit("kubectl is not on PATH (apt-get install kubectl)")
    done = subprocess.run(
        [kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"kubectl kustomize {directory} failed:\n{done.stderr}")
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def schema_problems(objects: list[dict[str, Any]]) -> Iterator[str]:
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            yield f"{obj.get('kind')}/{obj['metadata'].get('name')}: {error.message}"
        except kubernetes_validate.SchemaNotFoundError as error:
            yield f"{obj.get('kind')}: no schema ({error})"


def named(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def deployment_problems(name: str, deployment: dict[str, Any]) -> Iterator[str]:
    pod = deployment["spec"]["template"]["spec"]
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        yield f"Deployment/{name}: runAsNonRoot is not set"
    for container in pod["containers"]:
        where = f"Deployment/{name} container {container['name']}"
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in container:
                yield f"{where}: no {probe}"
        resources = container.get("resources", {})
        for part in ("requests", "limits"):
            if not {"cpu", "memory"} <= set(resources.get(part, {})):
                yield f"{where}: resources.{part} needs cpu and memory"
        for variable in container.get("env", []):
            if "PASSWORD" in variable["name"] or "TOKEN" in variable["name"]:
                if "value" in variable and not variable["name"].endswith("_FILE"):
                    yield f"{where}: {variable['name']} is a literal, not a Secret reference"


def policy_allows(
    policy: dict[str, Any], direction: str, peer_label: str | None, port: int
) -> bool:
    for rule in policy["spec"].get(direction, []):
        peers = rule.get("to" if direction == "egress" else "from", [])
        ports = {entry.get("port") for entry in rule.get("ports", [])}
        labels = [p.get("podSelector", {}).get("matchLabels", {}) for p in peers]
        matches_peer = peer_label is None or any(
            label.get("app.kubernetes.io/name") == peer_label for label in labels
        )
        if matches_peer and port in ports:
            return True
    return False


def policy_problems(policies: dict[str, dict[str, Any]]) -> Iterator[str]:
    deny_all = [
        p
        for p in policies.values()
        if p["spec"]["podSelector"] == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    if not deny_all:
        yield "NetworkPolicy: no deny-by-default policy (empty podSelector, Ingress and Egress)"

    def for_pods(name: str) -> list[dict[str, Any]]:
        return [
            p
            for p in policies.values()
            if p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name") == name
        ]

    rasa, actions = for_pods("rasa"), for_pods("actions")
    needs = [
        (rasa, "egress", "actions", 5055, "Rasa to the action server"),
        (rasa, "egress", None, 5432, "Rasa to PostgreSQL"),
        (rasa, "egress", None, 6379, "Rasa to Redis"),
        (actions, "ingress", "rasa", 5055, "the action server from Rasa"),
    ]
    for chosen, direction, peer, port, what in needs:
        if not any(policy_allows(p, direction, peer, port) for p in chosen):
            yield f"NetworkPolicy: nothing allows {what} (port {port})"
    for policy in actions:
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                if peer.get("podSelector", {}).get("matchLabels") != {
                    "app.kubernetes.io/name": "rasa"
                }:
                    yield "NetworkPolicy: the action server admits pods other than Rasa"


def k8s_problems(objects: list[dict[str, Any]]) -> Iterator[str]:
    yield from schema_problems(objects)
    deployments, services = named(objects, "Deployment"), named(objects, "Service")
    for server in SERVERS:
        if server not in deployments:
            yield f"Deployment/{server} is missing"
        else:
            yield from deployment_problems(server, deployments[server])
        if server not in services:
            yield f"Service/{server} is missing"
    hpas = named(objects, "HorizontalPodAutoscaler")
    if not any(h["spec"]["scaleTargetRef"]["name"] == "rasa" for h in hpas.values()):
        yield "HorizontalPodAutoscaler for Deployment/rasa is missing"
    for store in ("postgres", "redis"):
        if store not in services and store not in named(objects, "StatefulSet"):
            yield f"{store}: neither an external Service nor a StatefulSet"
    if named(objects, "Secret"):
        yield "Secret objects are in the base: reference them, never define them"
    yield from policy_problems(named(objects, "NetworkPolicy"))


def compose_problems(path: Path = COMPOSE_FILE) -> Iterator[str]:
    compose = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for error in sorted(validator.iter_errors(compose), key=lambda e: list(e.path)):
        yield f"{path.name} {'/'.join(map(str, error.path))}: {error.message}"
    services = compose.get("services", {})
    for service in COMPOSE_SERVICES:
        if service not in services:
            yield f"{path.name}: no {service} service"
    if not any(name.startswith("rasa") for name in services):
        yield f"{path.name}: no Rasa server service"
    text = path.read_text(encoding="utf-8").lower()
    if "password:" in text.replace("postgres_password:", "").replace("redis_password:", ""):
        yield f"{path.name}: a literal password"


def main() -> int:
    objects = render()
    problems = [*k8s_problems(objects), *compose_problems()]
    for problem in problems:
        print(problem)
    kinds = sorted({obj["kind"] for obj in objects})
    print(
        f"deploy/k8s: {len(objects)} objects ({', '.join(kinds)}) valid for Kubernetes "
        f"{KUBERNETES_VERSION}"
        if not problems
        else f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
