"""Generator decisions for the client API: the auth scheme (spec or setting), the environment
variable names, and models on the runtime base class (issue 12 item 2: a schema with a description
and one readOnly property used to crash generation)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, load_yaml

from generator.build.interpret import auth_scheme, env_vars
from generator.build.ir import ClientHeader
from generator.build.pipeline import build
from generator.build.write import write_tree
from generator.diagnostics import SpecError
from generator.settings import load_settings

NORCE_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "Authorization",
    "description": "Authorization header using the bearer scheme. Example: 'Bearer a3bc...'",
}


def _spec(scheme: dict[str, Any]) -> dict[str, Any]:
    return {"components": {"securitySchemes": {"Auth": scheme}}}


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        (NORCE_SCHEME, "Bearer"),
        ({"type": "http", "scheme": "bearer"}, "Bearer"),
        ({"type": "http", "scheme": "basic"}, "Basic"),
        ({**NORCE_SCHEME, "description": "Your API key."}, ""),
        ({**NORCE_SCHEME, "name": "X-Api-Key"}, ""),
        ({"type": "oauth2", "flows": {}}, ""),
    ],
)
def test_the_scheme_comes_from_the_spec(scheme: dict[str, Any], expected: str) -> None:
    assert auth_scheme(_spec(scheme), {"auth-scheme": "auto"}) == expected


@pytest.mark.parametrize(("setting", "expected"), [("none", ""), ("Token", "Token")])
def test_the_setting_overrides_the_spec(setting: str, expected: str) -> None:
    assert auth_scheme(_spec(NORCE_SCHEME), {"auth-scheme": setting}) == expected


def test_a_setting_that_is_no_scheme_name_is_refused() -> None:
    with pytest.raises(SpecError, match="auth-scheme 'Bearer token' is not a scheme name"):
        auth_scheme({}, {"auth-scheme": "Bearer token"})


def test_the_project_spec_gets_bearer_and_the_documented_variables() -> None:
    settings = load_settings()
    spec = load_yaml(Path(settings["spec"]).read_text("utf-8"))
    header = ClientHeader("x-merchant", "merchant", True, "", "", "'x-merchant'")

    assert auth_scheme(spec, settings) == "Bearer"
    assert env_vars({"env-prefix": "ACME_"}, [header]) == {
        "api_key": "ACME_API_KEY",
        "merchant": "ACME_MERCHANT",
        "environment": "ACME_ENVIRONMENT",
        "slug": "ACME_SLUG",
        "base_url": "ACME_BASE_URL",
    }


THING = """
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      description: A thing.
      type: object
      properties:
        id: {type: string, readOnly: true}
"""


def test_a_schema_with_a_description_and_one_read_only_property(tmp_path: Path) -> None:
    spec = tmp_path / "thing.yaml"
    spec.write_text(THING, "utf-8")
    settings = {**load_settings(), "package": "things"}

    result = build(spec, settings, formatted=False)
    write_tree(tmp_path / "out", result.files)
    check = (
        "from things import models, RequestValidationError\n"
        "assert models.ThingRequest.__doc__.strip() == 'A thing.'\n"
        "models.ThingRequest()\n"
        "try:\n"
        "    models.ThingRequest(id='t1')\n"
        "except RequestValidationError as e:\n"
        "    print(e)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", check],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.stdout.strip() == (
        "Invalid request for models.ThingRequest: "
        "ThingRequest.id is read-only: it is set by the server; remove it"
    ), run.stderr


LOOKAROUND = """
openapi: 3.0.3
info: {title: Codes, version: "1"}
paths:
  /codes:
    get:
      operationId: GetCode
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Code'}
components:
  schemas:
    Code:
      type: object
      properties:
        code: {type: string, pattern: '^(?!bad).*$'}
"""


def test_models_never_opt_into_the_python_re_engine(tmp_path: Path) -> None:
    # Admission drops a pattern the linear-time engine refuses (with a warning); the models then
    # run on the runtime base class, whose config pins "rust-regex", and never say "python-re".
    spec = tmp_path / "codes.yaml"
    spec.write_text(LOOKAROUND, "utf-8")

    models = (
        build(spec, {**load_settings(), "package": "codes"}, formatted=False)
        .files["codes/models.py"]
        .decode("utf-8")
    )
    runtime = (ROOT / "templates" / "runtime" / "_model.py").read_text("utf-8")

    assert "class Code(_model.Model):" in models
    assert "python-re" not in models and "regex_engine" not in models
    assert 'regex_engine="rust-regex"' in runtime
