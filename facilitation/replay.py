"""Play a scenario file against a live server through the protocol: one Socket.IO client per person.

A plain client module (no Flask): it creates the workshop with `POST /api/workshops`, connects
every participant and the facilitator, sends each step with its acknowledgement and checks the
answers, then compares a fresh facilitator snapshot with the scenario's top-level `expect`.
The scenario format is described in tests/scenarios/README.md.
"""
from __future__ import annotations

import json
import re
import threading
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
import socketio

# Events marked (op) in the protocol: a fresh op_id goes with each unless the step gives one.
OP_EVENTS = frozenset({"post_item", "vote", "unvote", "add_note"})
REFERENCE = re.compile(r"^\$([A-Za-z_][\w-]*(?:\.\d+)?)$")
CHECKED = ("items", "quotes", "participants", "groups", "themes", "phase")
GROUP_CHECKED = ("title", "members", "notes", "summary")


class ScenarioError(Exception):
    """The scenario file is unusable, or the workshop could not be set up on the server."""


@dataclass
class StepResult:
    index: int  # position in the scenario's `steps` (0-based)
    actor: str  # the step's `as`
    event: str  # the step's `do`
    ok: bool  # the server answered ok
    error: str | None = None  # the refusal's code, or the replayer's: `unknown_ref`, `no_id`, `bad_answer`
    message: str = ""
    expected: str | None = None  # the step's `expect`
    matched: bool = False  # the answer is what the scenario asked for

    @property
    def outcome(self) -> str:
        if self.matched:
            return "ok" if self.expected is None else f"refused {self.error} (expected)"
        if self.ok and self.expected:
            return f"FAILED: answered ok, expected {self.expected}"
        wanted = f", expected {self.expected}" if self.expected else ""
        return f"FAILED: {self.error}{wanted}: {self.message}".rstrip(": ")


@dataclass
class Report:
    code: str
    facilitator_token: str
    links: dict[str, str]
    steps: list[StepResult] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # the final `expect` that does not hold
    unchecked: list[str] = field(default_factory=list)  # `expect` keys this replayer does not know
    stopped: str | None = None  # why the replay stopped before the last step

    @property
    def failed_steps(self) -> list[StepResult]:
        return [s for s in self.steps if not s.matched]

    @property
    def ok(self) -> bool:
        return not self.failed_steps and not self.mismatches and self.stopped is None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def load(path: str | Path) -> dict[str, Any]:
    """Read and check a scenario file; a ScenarioError says what is wrong with it."""
    try:
        scenario = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ScenarioError(f"cannot read scenario {path}: {error}") from None
    check(scenario)
    return scenario


def check(scenario: Any) -> None:
    if not isinstance(scenario, dict) or not isinstance(scenario.get("workshop"), dict):
        raise ScenarioError("a scenario is an object with a `workshop` object")
    people = scenario.get("participants", [])
    if not isinstance(people, list) or not all(isinstance(p, dict) and isinstance(p.get("key"), str) for p in people):
        raise ScenarioError("`participants` is a list of objects, each with a `key`")
    keys = [p["key"] for p in people]
    if len(set(keys)) != len(keys) or "facilitator" in keys:
        raise ScenarioError("participant keys must be unique and not `facilitator`")
    steps = scenario.get("steps", [])
    if not isinstance(steps, list):
        raise ScenarioError("`steps` is a list")
    for n, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("do"), str):
            raise ScenarioError(f"step {n}: an object with `as` and `do`")
        if step.get("as") != "facilitator" and step.get("as") not in keys:
            raise ScenarioError(f"step {n}: `as` is {step.get('as')!r}, neither `facilitator` nor a participant key")
        if not isinstance(step.get("args", {}), dict):
            raise ScenarioError(f"step {n}: `args` is an object")
        if not isinstance(step.get("expect", ""), str) or not isinstance(step.get("ref", ""), str):
            raise ScenarioError(f"step {n}: `expect` and `ref` are strings")
    if not isinstance(scenario.get("expect", {}), dict):
        raise ScenarioError("the top-level `expect` is an object")


class _Person:
    """One Socket.IO connection of the scenario: a participant, the facilitator or a late reader."""

    def __init__(self, label: str, url: str, auth: dict[str, Any], timeout: float) -> None:
        self.label = label
        self.refusal: Any = None
        self.snapshot: dict[str, Any] | None = None
        self._snapshot_seen = threading.Event()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("connect_error", self._refused)
        self.sio.on("snapshot", self._snapshot)
        try:
            self.sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=timeout)
        except socketio.exceptions.ConnectionError as error:
            why = self.refusal if isinstance(self.refusal, dict) else {"message": str(self.refusal or error)}
            raise ScenarioError(f"{label} could not connect: {why.get('code', 'refused')}: {why.get('message', '')}") from None

    def _refused(self, data: Any = None) -> None:
        self.refusal = data

    def _snapshot(self, data: Any = None) -> None:
        self.snapshot = data
        self._snapshot_seen.set()

    def wait_for_snapshot(self, timeout: float) -> dict[str, Any]:
        if not self._snapshot_seen.wait(timeout) or not isinstance(self.snapshot, dict):
            raise ScenarioError(f"{self.label}: no snapshot within {timeout}s")
        return self.snapshot

    def call(self, event: str, payload: dict[str, Any], timeout: float) -> Any:
        return self.sio.call(event, payload, timeout=timeout)

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:  # already gone: nothing to close
            pass


def _participant_auth(code: str, person: dict[str, Any]) -> dict[str, Any]:
    """Join auth for one participant: name, organisation and table only where the scenario gives them."""
    auth: dict[str, Any] = {"code": code}
    for key in ("name", "organisation", "table"):
        if person.get(key) not in (None, ""):
            auth[key] = person[key]
    return auth


class _UnknownReference(Exception):
    pass


def resolve(value: Any, names: dict[str, Any], key: str = "") -> Any:
    """`value` with every whole-string `"$name"` replaced by the id it names.

    An undefined `$name` is an error where an id belongs (a key ending in `_id` or `_ids`);
    elsewhere (a text that happens to start with `$`) it is sent as written."""
    if isinstance(value, dict):
        return {k: resolve(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, names, key) for v in value]
    if isinstance(value, str):
        match = REFERENCE.match(value)
        if match and match.group(1) in names:
            return names[match.group(1)]
        if match and (key.endswith("_id") or key.endswith("_ids")):
            raise _UnknownReference(value)
    return value


def _name_result(answer: dict[str, Any], ref: str, names: dict[str, Any]) -> bool:
    """Record the id(s) an ok answer carries under `ref` (a list as ref.0, ref.1, ...)."""
    for key, value in answer.items():
        if key == "ok":
            continue
        if isinstance(value, dict) and "id" in value:
            names[ref] = value["id"]
            return True
        if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
            for n, entry in enumerate(value):
                names[f"{ref}.{n}"] = entry["id"]
            return True
    return False


def _play_step(index: int, step: dict[str, Any], person: _Person, names: dict[str, Any], timeout: float) -> StepResult:
    event, expected = step["do"], step.get("expect")
    result = StepResult(index, step["as"], event, ok=False, expected=expected)
    try:
        payload = resolve(step.get("args", {}), names)
    except _UnknownReference as error:
        result.error, result.message = "unknown_ref", f"{error} names nothing made by an earlier step"
        return result
    if "op_id" in step:
        payload["op_id"] = step["op_id"]
    elif event in OP_EVENTS:
        payload["op_id"] = uuid.uuid4().hex
    answer = person.call(event, payload, timeout)  # transport failures propagate to replay()
    if not isinstance(answer, dict):
        result.error, result.message = "bad_answer", f"not an object: {answer!r}"
        return result
    result.ok = answer.get("ok") is True
    if not result.ok:
        error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
        result.error, result.message = error.get("code", "bad_answer"), error.get("message", "")
    result.matched = result.ok if expected is None else result.error == expected
    if result.ok and step.get("ref") and not _name_result(answer, step["ref"], names):
        result.matched, result.error = False, "no_id"
        result.message = f"the answer carries no id to name {step['ref']!r}"
    return result


def _multiset_mismatch(what: str, expected: list[Any], actual: list[Any]) -> list[str]:
    missing = list((Counter(expected) - Counter(actual)).elements())
    extra = list((Counter(actual) - Counter(expected)).elements())
    problems = [f"{what}: missing {text!r}" for text in missing]
    return problems + [f"{what}: not expected {text!r}" for text in extra]


def compare(expect: dict[str, Any], snapshot: dict[str, Any], anonymous: frozenset[int] = frozenset()) -> tuple[list[str], list[str]]:
    """Every way `snapshot` differs from a scenario's `expect`, and the keys not checked.

    Items, quotes, theme titles, members and notes compare as lists of texts in any order;
    groups compare in order (the record numbers them). `members` names the named members: an
    anonymous one (participant id in `anonymous`) counts only where the list gives its label."""
    problems: list[str] = []
    unchecked = [key for key in expect if key not in CHECKED]
    if "items" in expect:
        problems += _multiset_mismatch("items", expect["items"], [i["text"] for i in snapshot["items"]])
    if "quotes" in expect:
        problems += _multiset_mismatch("quotes", expect["quotes"], [q["text"] for q in snapshot["quotes"]])
    if "themes" in expect:
        problems += _multiset_mismatch("themes", expect["themes"], [t["title"] for t in snapshot["themes"]])
    if "participants" in expect and expect["participants"] != snapshot["participants"]:
        problems.append(f"participants: expected {expect['participants']}, found {snapshot['participants']}")
    if "phase" in expect and expect["phase"] != snapshot["phase"]:
        problems.append(f"phase: expected {expect['phase']!r}, found {snapshot['phase']!r}")
    if "groups" in expect:
        wanted, found = expect["groups"], snapshot["groups"]
        if len(wanted) != len(found):
            problems.append(f"groups: expected {len(wanted)}, found {len(found)}")
        for n, (want, group) in enumerate(zip(wanted, found)):
            label = f"group {n + 1} ({group['title']!r})"
            unchecked += [f"groups[{n}].{key}" for key in want if key not in GROUP_CHECKED]
            if "title" in want and want["title"] != group["title"]:
                problems.append(f"{label}: title expected {want['title']!r}")
            if "members" in want:
                names = [m["name"] for m in group["members"] if m["id"] not in anonymous or m["name"] in want["members"]]
                problems += _multiset_mismatch(f"{label} members", want["members"], names)
            if "notes" in want:
                problems += _multiset_mismatch(f"{label} notes", want["notes"], [x["text"] for x in group["notes"]])
            if "summary" in want and want["summary"] != (group["summary"] or ""):
                problems.append(f"{label}: summary expected {want['summary']!r}, found {group['summary']!r}")
    return problems, unchecked


def create_workshop(url: str, body: dict[str, Any], timeout: float, passphrase: str | None = None) -> dict[str, Any]:
    """POST /api/workshops; `passphrase` for a server that lets only staff create (X-Staff-Passphrase)."""
    headers = {"X-Staff-Passphrase": passphrase.encode().decode("latin-1")} if passphrase else {}
    try:
        answer = requests.post(url.rstrip("/") + "/api/workshops", json=body, headers=headers, timeout=timeout)
    except requests.RequestException as error:
        raise ScenarioError(f"cannot reach {url}: {error}") from None
    if answer.status_code != 201:
        raise ScenarioError(f"POST /api/workshops answered {answer.status_code}: {answer.text[:500]}")
    return answer.json()


def replay(scenario: dict[str, Any], url: str, *, connect_timeout: float = 10, step_timeout: float = 10,
           passphrase: str | None = None) -> Report:
    """Play `scenario` against the server at `url`; the report says how every step was answered.

    Raises ScenarioError when the scenario is unusable or the workshop cannot be set up; a
    step that times out or loses its connection stops the replay (`Report.stopped`)."""
    check(scenario)
    created = create_workshop(url, scenario["workshop"], connect_timeout, passphrase)
    code, token = created["code"], created["facilitator_token"]
    report = Report(code, token, {k: created[k] for k in ("join_url", "projector_url", "console_url") if k in created})
    people: dict[str, _Person] = {}
    reader: _Person | None = None
    try:
        people["facilitator"] = _Person("facilitator", url, {"code": code, "facilitator_token": token}, connect_timeout)
        for person in scenario.get("participants", []):
            people[person["key"]] = _Person(person["key"], url, _participant_auth(code, person), connect_timeout)
        _play_steps(scenario.get("steps", []), people, report, step_timeout)
        if "expect" in scenario:
            reader = _Person("a fresh facilitator", url, {"code": code, "facilitator_token": token}, connect_timeout)
            anonymous = frozenset(people[p["key"]].wait_for_snapshot(connect_timeout)["me"]["id"]
                                  for p in scenario.get("participants", []) if not p.get("name"))
            report.mismatches, report.unchecked = compare(scenario["expect"], reader.wait_for_snapshot(connect_timeout), anonymous)
    finally:
        close_all([*people.values(), *([reader] if reader else [])])
    return report


def close_all(people: list[_Person]) -> None:
    """Disconnect everyone side by side (a server that does not answer a close frame costs seconds each)."""
    closing = [threading.Thread(target=person.close, daemon=True) for person in people]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join(10)


def _play_steps(steps: list[dict[str, Any]], people: dict[str, _Person], report: Report, timeout: float) -> None:
    """Send the steps in order; a step without an answer (timeout, lost connection) stops the replay."""
    names: dict[str, Any] = {}
    for index, step in enumerate(steps):
        try:
            report.steps.append(_play_step(index, step, people[step["as"]], names, timeout))
        except socketio.exceptions.TimeoutError:
            report.stopped = f"step {index + 1} ({step['as']} {step['do']}): no answer within {timeout}s"
            return
        except socketio.exceptions.SocketIOError as error:
            report.stopped = f"step {index + 1} ({step['as']} {step['do']}): connection lost ({error or type(error).__name__})"
            return
