#!/usr/bin/env python3
"""An independent Codex AuthProvider client behind driver protocol v1 (docs/driver-protocol.md).

Python 3 standard library only. Written from the facts of the Codex CLI source (openai/codex,
codex-rs/) and the conformance rules, not from the TypeScript reference:

- auth precedence (codex-rs/login/src/auth/manager.rs, `load_auth`): env CODEX_API_KEY, then the
  host-provided tokens, then the Agent Identity JWT (env CODEX_ACCESS_TOKEN, else
  CODEX_AGENT_IDENTITY), then $CODEX_HOME/auth.json (`auth_mode`, else OPENAI_API_KEY -> API key,
  else ChatGPT tokens);
- headers (codex-rs/model-provider/src/bearer_auth_provider.rs, codex-rs/agent-identity/src/lib.rs):
  `Authorization: Bearer <token>` or `Authorization: AgentAssertion <assertion>`,
  `ChatGPT-Account-ID` when the auth has an account id (never for API keys),
  `X-OpenAI-Fedramp: true` only for FedRAMP accounts;
- base URL normalization and path style (codex-rs/agent-identity/src/lib.rs
  `normalize_chatgpt_base_url`, codex-rs/backend-client PathStyle);
- Agent Identity: RS256 JWT verified against the JWKS of the configured base, task registration
  `POST {authapi}/v1/agent/{runtime}/task/register` signed with Ed25519, the sealed-box
  `encrypted_task_id` variant, and the AgentAssertion header (codex-rs/agent-identity/src/lib.rs,
  codex-rs/login/src/auth/agent_identity.rs for the authapi base: production or staging only, as
  in 0.171.0, a loopback base only with both JWKS and authapi overrides naming it);
- model traffic goes to openai_base_url, else the constant Codex base for ChatGPT auth
  (codex-rs/model-provider-info/src/lib.rs), never to chatgpt_base_url.

Written to the PR #18811 contract first, it still lacks three 0.171.0 changes (the Apps trust
gate, the 5-minute refresh window, the newer permanent refresh failures): see
expectations/python-driver.json.
- gates: codex-backend-only callsites refuse API-key auth before any request
  (`uses_codex_backend`), Codex Apps needs apps enabled as well.

Safety: the driver only talks to loopback hosts (names the hosts file maps to loopback only, as
the harness's namespace does for the production hosts; never a DNS query) unless AUTH_DRIVER_ALLOW_REMOTE=1 is set in
its own process environment. Logs go to stderr; stdout carries protocol responses only.
"""
import base64
import datetime
import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ed25519_x25519  # noqa: E402
import sealed_box  # noqa: E402

PROTOCOL_VERSION = 1
DRIVER_VERSION = "0.1.0"
DEFAULT_CHATGPT_BASE_URL = "https://chatgpt.com/backend-api/"
DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_REFRESH_URL = "https://auth.openai.com/oauth/token"
REFRESH_CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann"
REFRESH_INTERVAL = datetime.timedelta(days=8)
AGENT_JWT_ISSUER = "https://chatgpt.com/codex-backend/agent-identity"
AGENT_JWT_AUDIENCE = "codex-app-server"
CHATGPT_CODEX_BASE_URL = "https://chatgpt.com/backend-api/codex"
PROD_AUTHAPI = "https://auth.openai.com/api/accounts"
STAGING_AUTHAPI = "https://auth.api.openai.org/api/accounts"
HTTP_TIMEOUT_SECONDS = 10
AUTH_CLAIMS = "https://api.openai.com/auth"
WORKSPACE_PLANS = {"team", "self_serve_business_usage_based", "business", "enterprise_cbp_usage_based", "enterprise", "edu"}
BUSINESS_OR_ENTERPRISE = {"business", "enterprise_cbp_usage_based", "enterprise"}


def canonical_plan(raw):
    """Plan names are case-insensitive; `hc` is enterprise and `education` is edu."""
    plan = (raw or "").strip().lower()
    return {"hc": "enterprise", "education": "edu"}.get(plan, plan)

AUTH_MODES = ["apiKey", "chatgpt", "chatgptAuthTokens", "agentIdentity"]

# Callsites this driver implements: id -> (method, target, wham path, codexApi path, gate, JSON body).
# target: "chatgptBackend" (paths under the normalized ChatGPT base), "responses" / "models" (model
# traffic: the OpenAI base for API keys, {chatgpt base}/codex otherwise), "appsMcp" (the Apps MCP URL).
# gate: "codexBackend" (uses_codex_backend), "apps" (apps enabled AND uses_codex_backend),
# "businessOrEnterprise" (codex backend and a business-like or enterprise plan), "any".
CALLSITES = {}


def register_callsite(callsite_id, method, target, wham, codex_api, gate, body=None):
    CALLSITES[callsite_id] = {
        "method": method, "target": target, "paths": {"wham": wham, "codexApi": codex_api}, "gate": gate, "body": body,
    }


# The nine callers migrated by PR #18811 (one representative endpoint each; ids as in
# src/callsites/catalog.ts of the harness).
register_callsite("backend-client.rate-limits", "GET", "chatgptBackend", "/wham/usage", "/api/codex/usage", "codexBackend")
register_callsite("chatgpt.get-task", "GET", "chatgptBackend", "/wham/tasks/task_conformance_1", "/wham/tasks/task_conformance_1",
                  "codexBackend")
register_callsite("cloud-tasks.list", "GET", "chatgptBackend", "/wham/tasks/list", "/api/codex/tasks/list", "codexBackend")
register_callsite("cloud-requirements.fetch", "GET", "chatgptBackend", "/wham/config/requirements",
                  "/api/codex/config/requirements", "businessOrEnterprise")
register_callsite("remote-control.enroll", "POST", "chatgptBackend", "/wham/remote/control/server/enroll",
                  "/wham/remote/control/server/enroll", "codexBackend",
                  {"name": "conformance-host", "os": "linux", "arch": "x86_64", "app_server_version": "0.0.0-conformance",
                   "installation_id": "00000000-0000-4000-8000-000000000000"})
register_callsite("apps-mcp.tools-list", "POST", "appsMcp", None, None, "apps",
                  {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}})
register_callsite("models.refresh", "GET", "models", None, None, "any")
register_callsite("openai-files.upload", "POST", "chatgptBackend", "/files", "/api/files", "codexBackend",
                  {"file_name": "report.csv", "file_size": 12, "use_case": "codex"})
register_callsite("core.responses", "POST", "responses", None, None, "any",
                  {"model": "gpt-5-codex", "input": "conformance", "stream": False})


def log(message):
    sys.stderr.write(f"codex_auth_driver: {message}\n")
    sys.stderr.flush()


def fingerprint(secret):
    """A short digest for logs; raw secrets are never written anywhere."""
    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]


class DriverFailure(Exception):
    """A failure the implementation catches: becomes an `errored` outcome or an error response."""


class Refused(Exception):
    """A gate refused the auth mode: no request was sent."""


# --- encoding helpers ----------------------------------------------------------------------------

def b64url_decode(text):
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_parts(jwt):
    parts = jwt.split(".")
    if len(parts) != 3 or not all(parts):
        raise DriverFailure("JWT is not three non-empty dot-separated parts")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError) as error:
        raise DriverFailure(f"JWT is not base64url JSON: {error}") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise DriverFailure("JWT header or payload is not a JSON object")
    return header, payload, signature, (parts[0] + "." + parts[1]).encode("ascii")


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def rfc3339_seconds(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- URLs ----------------------------------------------------------------------------------------

def trim_slashes(url):
    while url.endswith("/"):
        url = url[:-1]
    return url


def normalize_chatgpt_base_url(url):
    """codex-rs/backend-client/src/client.rs Client::new (and the Apps MCP base the same way):
    trailing '/' trimmed; a chatgpt.com / chat.openai.com base without '/backend-api' gets it,
    whatever else its path holds (so https://chatgpt.com/api/codex becomes .../api/codex/backend-api)."""
    base = trim_slashes(url)
    if (base.startswith("https://chatgpt.com") or base.startswith("https://chat.openai.com")) and "/backend-api" not in base:
        base += "/backend-api"
    return base


def path_style(normalized_base):
    return "wham" if "/backend-api" in normalized_base else "codexApi"


def apps_mcp_url(normalized_base):
    """The plugin-service Apps MCP endpoint (0.171.0 era: POST .../ps/mcp)."""
    if "/backend-api" in normalized_base or "/api/codex" in normalized_base:
        return normalized_base + "/ps/mcp"
    return normalized_base + "/api/codex/ps/mcp"


def jwks_url(base, env):
    """codex-rs/agent-identity/src/lib.rs agent_identity_jwks_url (0.171.0): the env base replaces the ChatGPT base."""
    override = env.get("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", "").strip()
    trimmed = trim_slashes(override or base)
    if "/backend-api" in trimmed:
        return trimmed + "/wham/agent-identities/jwks"
    return trimmed + "/agent-identities/jwks"


def chatgpt_environment(chatgpt_base_url):
    """codex-rs/agent-identity/src/lib.rs ChatGptEnvironment (0.171.0): exact production or staging bases only."""
    if chatgpt_base_url is None:
        return "production"
    base = trim_slashes(chatgpt_base_url.strip())
    def spellings(host):
        return {host, host + "/backend-api", host + "/codex", host + "/backend-api/codex"}
    if base in spellings("https://chatgpt.com") | spellings("https://chat.openai.com"):
        return "production"
    if base in spellings("https://chatgpt-staging.com"):
        return "staging"
    return None


def authapi_base_url(chatgpt_base_url, env):
    """codex-rs/login/src/auth/agent_identity.rs (0.171.0): production or staging authapi, the env
    override for those; any other ChatGPT base only when the JWKS override names that base; else refused."""
    override = trim_slashes(env.get("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", "").strip())
    environment = chatgpt_environment(chatgpt_base_url)
    if environment is not None:
        return override or (PROD_AUTHAPI if environment == "production" else STAGING_AUTHAPI)
    jwks_base = trim_slashes(env.get("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", "").strip())
    if override and jwks_base and jwks_base == trim_slashes(chatgpt_base_url.strip()):
        return override
    raise Refused("Agent Identity only supports production and staging ChatGPT environments")


def _loopback_address(address):
    return address == "::1" or address.startswith("127.")


def _hosts_file_addresses(name, path="/etc/hosts"):
    """The addresses the hosts file gives `name` (no DNS query: nothing leaves the machine)."""
    found = set()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.split("#", 1)[0].split()
                if len(fields) >= 2 and name in (n.lower() for n in fields[1:]):
                    found.add(fields[0])
    except OSError:
        pass
    return found


def is_loopback(url):
    """A loopback address, or a name the hosts file maps to loopback only (the harness's namespace
    maps the production hosts to 127.0.0.1 there). Names are never looked up in DNS."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    if host == "localhost" or _loopback_address(host):
        return True
    addresses = _hosts_file_addresses(host)
    return bool(addresses) and all(_loopback_address(a) for a in addresses)


# --- HTTP ----------------------------------------------------------------------------------------

class Response:
    def __init__(self, status, body_bytes):
        self.status = status
        self.body_bytes = body_bytes

    def json(self):
        try:
            return json.loads(self.body_bytes.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def body_for_outcome(self):
        parsed = self.json()
        if parsed is not None:
            return parsed
        text = self.body_bytes[:4096].decode("utf-8", errors="replace")
        return text if text else None


def http(method, url, headers=None, body=None):
    if not is_loopback(url) and os.environ.get("AUTH_DRIVER_ALLOW_REMOTE") != "1":
        host = urllib.parse.urlsplit(url).hostname
        raise DriverFailure(f"refusing to contact non-loopback host {host!r} (set AUTH_DRIVER_ALLOW_REMOTE=1 to allow)")
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            return Response(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read())
    except (urllib.error.URLError, OSError) as error:
        raise DriverFailure(f"{method} {url} failed: {getattr(error, 'reason', error)}") from None


# --- RS256 verification --------------------------------------------------------------------------

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def rs256_verify(jwk, signing_input, signature):
    if jwk.get("kty") != "RSA":
        raise DriverFailure("JWKS key is not an RSA key")
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    em = pow(int.from_bytes(signature, "big"), e, n).to_bytes(size, "big")
    suffix = b"\x00" + SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(suffix) + 1) + suffix
    return em == expected


def verify_agent_identity_jwt(jwt, jwks):
    header, claims, signature, signing_input = jwt_parts(jwt)
    if header.get("alg") != "RS256":
        raise DriverFailure(f"agent identity JWT alg {header.get('alg')!r} is not RS256")
    kid = header.get("kid")
    if not kid:
        raise DriverFailure("agent identity JWT header does not include a kid")
    keys = [k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("kid") == kid]
    if not keys:
        raise DriverFailure(f"agent identity JWT kid {kid!r} is not trusted")
    if not rs256_verify(keys[0], signing_input, signature):
        raise DriverFailure("agent identity JWT signature does not verify")
    if claims.get("iss") != AGENT_JWT_ISSUER:
        raise DriverFailure("agent identity JWT has the wrong issuer")
    audience = claims.get("aud")
    if audience != AGENT_JWT_AUDIENCE and not (isinstance(audience, list) and AGENT_JWT_AUDIENCE in audience):
        raise DriverFailure("agent identity JWT has the wrong audience")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or exp + 60 < now_utc().timestamp():
        raise DriverFailure("agent identity JWT is expired")
    for name in ("agent_runtime_id", "agent_private_key"):
        if not isinstance(claims.get(name), str) or not claims[name]:
            raise DriverFailure(f"agent identity JWT lacks claim {name}")
    return claims


# --- PKCS#8 Ed25519 ------------------------------------------------------------------------------

def _der_read(data, offset):
    tag = data[offset]
    length = data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[offset:offset + count], "big")
        offset += count
    if offset + length > len(data):
        raise ValueError("truncated DER")
    return tag, data[offset:offset + length], offset + length


def ed25519_seed_from_pkcs8(b64):
    """The 32-byte seed from a PKCS#8 OneAsymmetricKey (RFC 8410) in standard base64."""
    try:
        der = base64.b64decode(b64, validate=True)
        tag, body, _ = _der_read(der, 0)
        if tag != 0x30:
            raise ValueError("not a SEQUENCE")
        tag, _, offset = _der_read(body, 0)  # version
        tag, algorithm, offset = _der_read(body, offset)
        if algorithm != bytes.fromhex("06032b6570"):
            raise ValueError("algorithm is not Ed25519 (1.3.101.112)")
        tag, private_key, offset = _der_read(body, offset)
        if tag != 0x04:
            raise ValueError("privateKey is not an OCTET STRING")
        inner_tag, seed, _ = _der_read(private_key, 0)
        if inner_tag != 0x04 or len(seed) != 32:
            raise ValueError("CurvePrivateKey is not a 32-byte OCTET STRING")
        return seed
    except (ValueError, IndexError) as error:
        raise DriverFailure(f"agent_private_key is not Ed25519 PKCS#8: {error}") from None


# --- auth ----------------------------------------------------------------------------------------

def jwt_claims_unverified(jwt):
    try:
        return jwt_parts(jwt)[1]
    except DriverFailure:
        return {}


def id_token_info(id_token):
    claims = jwt_claims_unverified(id_token) if isinstance(id_token, str) else {}
    auth = claims.get(AUTH_CLAIMS) if isinstance(claims.get(AUTH_CLAIMS), dict) else {}
    return {
        "account_id": auth.get("chatgpt_account_id"),
        "user_id": auth.get("chatgpt_user_id") or auth.get("user_id"),
        "plan": auth.get("chatgpt_plan_type"),
        "fedramp": auth.get("chatgpt_account_is_fedramp") is True,
    }


class Case:
    """The auth state of one case: everything a `configure` resets."""

    def __init__(self, setup):
        self.setup = setup
        self.home = setup["home"]
        self.env = setup.get("env", {})
        self.config = setup.get("config", {})
        self.auth = None
        self.task_id = None
        os.makedirs(self.home, exist_ok=True)
        for relative, content in setup.get("files", {}).items():
            path = os.path.normpath(os.path.join(self.home, relative))
            if os.path.isabs(relative) or not path.startswith(os.path.normpath(self.home) + os.sep):
                raise DriverFailure(f"file {relative!r} would land outside home")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(content)
            os.chmod(path, 0o600)

    @property
    def chatgpt_base(self):
        return normalize_chatgpt_base_url(self.config.get("chatgptBaseUrl") or DEFAULT_CHATGPT_BASE_URL)

    def env_value(self, name):
        value = self.env.get(name, "").strip()
        return value or None

    def load_auth(self):
        if self.auth is not None:
            return self.auth
        api_key = self.env_value("CODEX_API_KEY")
        host = self.setup.get("hostTokens")
        agent_jwt = self.env_value("CODEX_ACCESS_TOKEN") or self.env_value("CODEX_AGENT_IDENTITY")
        if api_key:
            self.auth = {"mode": "apiKey", "token": api_key}
        elif host:
            info = id_token_info(host["accessToken"])
            self.auth = {"mode": "chatgptAuthTokens", "token": host["accessToken"], "account_id": host["accountId"],
                         "user_id": info["user_id"], "plan": host.get("planType") or info["plan"], "fedramp": info["fedramp"]}
        elif agent_jwt:
            self.auth = self.agent_identity_auth(agent_jwt)
        else:
            self.auth = self.auth_from_auth_json()
        log(f"case {self.setup['caseId']}: auth mode {self.auth['mode']}")
        return self.auth

    def auth_json_path(self):
        return os.path.join(self.home, "auth.json")

    def auth_from_auth_json(self):
        try:
            with open(self.auth_json_path(), encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise DriverFailure("no credentials: no CODEX_API_KEY, host tokens, agent identity or auth.json") from None
        except ValueError as error:
            raise DriverFailure(f"auth.json is not JSON: {error}") from None
        if not isinstance(data, dict):
            raise DriverFailure("auth.json is not a JSON object")
        mode = data.get("auth_mode")
        tokens = data.get("tokens") if isinstance(data.get("tokens"), dict) else None
        if mode is None:
            mode = "apikey" if data.get("OPENAI_API_KEY") else "chatgpt"
        if mode == "apikey":
            if not data.get("OPENAI_API_KEY"):
                raise DriverFailure("auth.json says apikey but OPENAI_API_KEY is empty")
            return {"mode": "apiKey", "token": data["OPENAI_API_KEY"]}
        if mode in ("chatgpt", "chatgptAuthTokens"):
            if tokens is None or not tokens.get("access_token"):
                raise DriverFailure("auth.json has no ChatGPT tokens")
            info = id_token_info(tokens.get("id_token"))
            return {
                "mode": "chatgpt" if mode == "chatgpt" else "chatgptAuthTokens",
                "token": tokens["access_token"],
                "refresh_token": tokens.get("refresh_token"),
                "account_id": tokens.get("account_id") or info["account_id"],
                "user_id": info["user_id"], "plan": info["plan"], "fedramp": info["fedramp"],
                "last_refresh": data.get("last_refresh"),
            }
        if mode == "agentIdentity" and isinstance(data.get("agent_identity"), str):
            return self.agent_identity_auth(data["agent_identity"])
        raise DriverFailure(f"auth.json auth_mode {mode!r} is not supported by this driver")

    def agent_identity_auth(self, jwt):
        url = jwks_url(self.config.get("chatgptBaseUrl") or DEFAULT_CHATGPT_BASE_URL, self.env)
        response = http("GET", url)
        jwks = response.json()
        if response.status != 200 or not isinstance(jwks, dict):
            raise DriverFailure(f"agent identity JWKS fetch failed with status {response.status}")
        claims = verify_agent_identity_jwt(jwt, jwks)
        return {
            "mode": "agentIdentity", "runtime_id": claims["agent_runtime_id"],
            "seed": ed25519_seed_from_pkcs8(claims["agent_private_key"]),
            "account_id": claims.get("account_id") or None, "user_id": claims.get("chatgpt_user_id") or None,
            "plan": claims.get("plan_type"), "fedramp": claims.get("chatgpt_account_is_fedramp") is True,
        }

    # -- refresh (managed ChatGPT tokens only) --

    def refresh(self):
        auth = self.auth
        if auth is None or auth["mode"] != "chatgpt" or not auth.get("refresh_token"):
            return False
        url = self.env_value("CODEX_REFRESH_TOKEN_URL_OVERRIDE") or DEFAULT_REFRESH_URL
        response = http("POST", url, {}, {"client_id": REFRESH_CLIENT_ID, "grant_type": "refresh_token",
                                          "refresh_token": auth["refresh_token"]})
        body = response.json()
        if response.status != 200 or not isinstance(body, dict):
            raise DriverFailure(f"token refresh failed with status {response.status}")
        with open(self.auth_json_path(), encoding="utf-8") as handle:
            data = json.load(handle)
        tokens = data.setdefault("tokens", {})
        for key in ("id_token", "access_token", "refresh_token"):
            if isinstance(body.get(key), str):
                tokens[key] = body[key]
        data["last_refresh"] = now_utc().isoformat().replace("+00:00", "Z")
        temporary = self.auth_json_path() + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.auth_json_path())
        self.auth = None
        self.load_auth()
        return True

    def refresh_if_stale(self):
        auth = self.auth
        if auth["mode"] != "chatgpt":
            return
        # Stale when the access token is a JWT whose exp has passed; else when last_refresh is
        # older than the refresh interval; never when neither is known (manager.rs
        # is_stale_for_proactive_refresh).
        exp = jwt_claims_unverified(auth["token"]).get("exp")
        if isinstance(exp, (int, float)):
            if exp <= now_utc().timestamp():
                self.refresh()
            return
        stamp = auth.get("last_refresh")
        try:
            when = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")) if isinstance(stamp, str) else None
        except ValueError:
            when = None
        if when is not None and now_utc() - when > REFRESH_INTERVAL:
            self.refresh()

    # -- agent task --

    def agent_task_id(self):
        if self.task_id is not None:
            return self.task_id
        auth = self.auth
        timestamp = rfc3339_seconds(now_utc())
        signature = ed25519_x25519.sign(auth["seed"], f"{auth['runtime_id']}:{timestamp}".encode("utf-8"))
        base = authapi_base_url(self.config.get("chatgptBaseUrl"), self.env)
        url = f"{trim_slashes(base)}/v1/agent/{auth['runtime_id']}/task/register"
        response = http("POST", url, {}, {"timestamp": timestamp, "signature": base64.b64encode(signature).decode("ascii")})
        body = response.json()
        if not 200 <= response.status < 300 or not isinstance(body, dict):
            raise DriverFailure(f"agent task registration failed with status {response.status}")
        task_id = body.get("task_id") or body.get("taskId")
        if not task_id:
            sealed = body.get("encrypted_task_id") or body.get("encryptedTaskId")
            if not sealed:
                raise DriverFailure("agent task registration response omitted task id")
            secret = ed25519_x25519.x25519_secret_from_ed25519_seed(auth["seed"])
            try:
                task_id = sealed_box.seal_open(base64.b64decode(sealed), secret).decode("utf-8")
            except (ValueError, UnicodeDecodeError) as error:
                raise DriverFailure(f"failed to decrypt encrypted task id: {error}") from None
        self.task_id = task_id
        return task_id

    # -- headers --

    def auth_headers(self):
        auth = self.auth
        headers = {}
        if auth["mode"] == "agentIdentity":
            task_id = self.agent_task_id()
            timestamp = rfc3339_seconds(now_utc())
            payload = f"{auth['runtime_id']}:{task_id}:{timestamp}".encode("utf-8")
            signature = base64.b64encode(ed25519_x25519.sign(auth["seed"], payload)).decode("ascii")
            envelope = {"agent_runtime_id": auth["runtime_id"], "signature": signature, "task_id": task_id, "timestamp": timestamp}
            serialized = json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode("utf-8")
            headers["Authorization"] = "AgentAssertion " + b64url_encode(serialized)
        else:
            headers["Authorization"] = "Bearer " + auth["token"]
        if auth["mode"] != "apiKey":
            if auth.get("account_id"):
                headers["ChatGPT-Account-ID"] = auth["account_id"]
            if auth.get("fedramp"):
                headers["X-OpenAI-Fedramp"] = "true"
        return headers


def uses_codex_backend(auth):
    return auth["mode"] != "apiKey"


def apps_cache_key(auth):
    return {"accountId": auth.get("account_id"), "chatgptUserId": auth.get("user_id"),
            "isWorkspaceAccount": canonical_plan(auth.get("plan")) in WORKSPACE_PLANS}


def invoke(case, callsite_id):
    callsite = CALLSITES.get(callsite_id)
    if callsite is None:
        raise DriverFailure(f"unknown callsite {callsite_id!r}; known: {', '.join(sorted(CALLSITES))}")
    auth = case.load_auth()
    gate = callsite["gate"]
    if gate in ("codexBackend", "apps") and not uses_codex_backend(auth):
        raise Refused(f"{callsite_id} needs codex-backend auth; {auth['mode']} does not use the codex backend")
    if gate == "apps" and case.config.get("appsEnabled") is not True:
        raise Refused(f"{callsite_id} needs apps enabled")
    if gate == "businessOrEnterprise" and canonical_plan(auth.get("plan")) not in BUSINESS_OR_ENTERPRISE:
        raise Refused(f"{callsite_id} applies to business and enterprise plans only (plan {auth.get('plan')!r})")
    if callsite["target"] in ("responses", "models"):
        # codex-rs/model-provider-info/src/lib.rs: openai_base_url when configured, else the constant
        # Codex base for codex-backend auth and api.openai.com for API keys; never chatgpt_base_url.
        default = DEFAULT_OPENAI_BASE_URL if auth["mode"] == "apiKey" else CHATGPT_CODEX_BASE_URL
        url = trim_slashes(case.config.get("openaiBaseUrl") or default) + "/" + callsite["target"]
    elif callsite["target"] == "appsMcp":
        url = apps_mcp_url(case.chatgpt_base)
    else:
        base = case.chatgpt_base
        url = base + callsite["paths"][path_style(base)]
    case.refresh_if_stale()
    response = http(callsite["method"], url, case.auth_headers(), callsite["body"])
    if response.status == 401 and case.refresh():
        response = http(callsite["method"], url, case.auth_headers(), callsite["body"])
    outcome = {"kind": "sent", "status": response.status}
    body = response.body_for_outcome()
    if body is not None:
        outcome["body"] = body
    return outcome


# --- protocol loop -------------------------------------------------------------------------------

def main():
    # One Case per instance: "" is the default (protocol version 1); version 2 adds named
    # instances (several clients on one CODEX_HOME, each with its own auth state). Invokes run one
    # at a time, so the driver declares instances but not concurrentInvokes.
    cases = {}
    case_errors = {}
    version = PROTOCOL_VERSION
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        seq = request.get("seq")
        cmd = request.get("cmd")
        response = {"seq": seq}
        instance = request.get("instance", "") if version == 2 else ""
        try:
            if "instance" in request and version != 2:
                raise DriverFailure("instance is a protocol version 2 field; offer 2 in start's accepts")
            if cmd == "start":
                accepts = request.get("accepts") or []
                if request.get("version") not in (1, 2):
                    raise DriverFailure(f"unsupported protocol version {request.get('version')!r}")
                version = 2 if (request.get("version") == 2 or 2 in accepts) else 1
                capabilities = {"authModes": AUTH_MODES, "callsites": sorted(CALLSITES),
                                "introspect": ["appsCacheKey", "authMode"], "reset": True}
                if version == 2:
                    capabilities["instances"] = True
                response.update({
                    "version": version,
                    "implementation": {"name": "codex-auth-python", "version": DRIVER_VERSION, "language": "python"},
                    "capabilities": capabilities,
                })
            elif cmd == "reset":
                # Everything a case leaves in memory lives in `cases` (auth, task ids): dropping
                # them leaves the process as a fresh start would, so one process serves many cases.
                cases, case_errors = {}, {}
                response["ok"] = True
            elif cmd == "configure":
                cases.pop(instance, None)
                case_errors.pop(instance, None)
                try:
                    cases[instance] = Case(request["setup"])
                except DriverFailure as error:
                    case_errors[instance] = str(error)
                    raise
                response["ok"] = True
            elif cmd == "invoke":
                case = cases.get(instance)
                if case is None:
                    raise DriverFailure(case_errors.get(instance) or "invoke before configure")
                try:
                    response["outcome"] = invoke(case, request["callsite"])
                except Refused as refusal:
                    response["outcome"] = {"kind": "refused", "reason": str(refusal)}
                except DriverFailure as failure:
                    response["outcome"] = {"kind": "errored", "message": str(failure) or "failed"}
            elif cmd == "introspect":
                case = cases.get(instance)
                if case is None:
                    raise DriverFailure("introspect before configure")
                auth = case.load_auth()
                if request.get("what") == "authMode":
                    response["value"] = auth["mode"]
                elif request.get("what") == "appsCacheKey":
                    response["value"] = apps_cache_key(auth)
                else:
                    raise DriverFailure(f"cannot introspect {request.get('what')!r}")
            elif cmd == "stop":
                response["ok"] = True
                sys.stdout.write(json.dumps(response) + "\n")
                sys.stdout.flush()
                return 0
            else:
                raise DriverFailure(f"unknown cmd {cmd!r}")
        except DriverFailure as error:
            response = {"seq": seq, "error": {"message": str(error) or "failed"}}
        except Exception as error:  # a driver bug: report it as a caught failure, keep serving
            log(f"internal error on {cmd}: {type(error).__name__}: {error}")
            response = {"seq": seq, "error": {"message": f"internal error: {type(error).__name__}", "code": "INTERNAL"}}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
