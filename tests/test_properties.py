"""Random workshops, step by step (Hypothesis, stateful): several participants, a screen and the
facilitator send the protocol's events in any order, in any phase, with good and bad input,
through `operations.perform` in one write transaction each, as the socket handlers do.

A model beside the database says for every event whether it must be answered or refused (and
with which codes); after every step the database must match the model: each person's dots,
every item's theme and visibility, every group's members, no group over capacity, dots used
equal to the vote rows, tallies and snapshots counting the same rows. A refused event must
leave every row of the workshop as it was, and a retried op_id must get its first answer
again and change nothing. On SQLite and on PostgreSQL."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from facilitation.database import Database
from facilitation.models import PHASES, QUADRANTS
from facilitation.operations import DomainError

from .properties_support import database  # noqa: F401  (the fixture)
from .properties_support import NOT_IDS, check_consistent, open_workshop, read_facts, run_machine, send

PARTICIPANTS = 3
# A text to send and the refusals it brings: a good one, or one the server must refuse.
TEXT = st.one_of(st.text("abcåäö XYZ", min_size=1, max_size=12).filter(str.strip).map(lambda t: (t, set())),
                 st.sampled_from([("", {"bad_request"}), ("   ", {"bad_request"}), ("a\x00b", {"bad_request"}),
                                  (7, {"bad_request"}), ("x" * 2001, {"too_long"})]))
ANYONE = st.sampled_from(["fac", 0, 1, 2, "screen"])
MOSTLY_FACILITATOR = st.sampled_from(["fac"] * 6 + [0, "screen"])
MOSTLY_PARTICIPANT = st.sampled_from([0, 1, 2, 0, 1, 2, "fac", "screen"])
OP_IDS = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))


@dataclass
class Model:
    """What the workshop must hold, kept beside it."""

    phase: str
    budget: int
    limit: int
    capacity: int | None
    revealed: bool = False
    items: dict[int, list] = field(default_factory=dict)  # id -> [theme, hidden, author, text]
    themes: list[int] = field(default_factory=list)
    gone: dict[str, set[int]] = field(default_factory=lambda: {"item": set(), "theme": set(), "group": set()})
    dots: Counter = field(default_factory=Counter)  # (person, theme) -> dots
    groups: dict[int, int | None] = field(default_factory=dict)  # id -> capacity
    member: dict[int, int | None] = field(default_factory=dict)
    notes: Counter = field(default_factory=Counter)
    answers: dict[tuple[int, str], dict] = field(default_factory=dict)  # (person, op_id) -> the first answer

    def used(self, person: int) -> int:
        return sum(n for (p, _t), n in self.dots.items() if p == person)

    def votes_of(self, person: int) -> dict[str, int]:
        return {str(t): n for (p, t), n in self.dots.items() if p == person and n}


def _id(data, known: list[int], gone, what: str) -> tuple[Any, str | None]:
    """An id to send: usually a known one (the first ones most often), else a deleted one, one
    never made, or something that is no id; with the refusal it must get (None for a known one)."""
    kinds = ["known"] * 6 if known else []
    kind = data.draw(st.sampled_from(kinds + ["gone"] * bool(gone) + ["never", "junk"]), label=f"{what} kind")
    if kind == "known":
        return data.draw(st.sampled_from(known), label=what), None
    if kind == "gone":
        return data.draw(st.sampled_from(sorted(gone)), label=what), "not_found"
    if kind == "junk":
        return data.draw(st.sampled_from(NOT_IDS), label=what), "bad_request"
    return data.draw(st.integers(10**9, 10**9 + 10), label=what), "not_found"


class WorkshopMachine(RuleBasedStateMachine):
    """One workshop per example; a rule is one event from one of its people."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.last = None  # the facts before this event, None when an event of this step changed them
        self.now = None  # the facts read after this step, if a refusal read them
        self.steps = 0

    # --- helpers -----------------------------------------------------------------------------

    def send(self, who, event: str, data: dict, refusals: set[str]) -> dict | None:
        """Send; the event must be refused with one of `refusals`, or answered when there are none."""
        actor = self.people.by_name(who)
        if self.last is None:  # an earlier event of this step changed the workshop
            self.last = self.facts()
        answer = send(self.db, actor, event, data)
        if isinstance(answer, DomainError):
            assert refusals, f"{who} {event} {data} refused ({answer.code}: {answer.message}), expected an answer"
            assert answer.code in refusals, f"{who} {event} {data} refused with {answer.code}, expected {refusals}"
            self.now = self.facts()
            assert self.now.fingerprint == self.last.fingerprint, f"refused {event} changed the workshop"
            return None
        assert not refusals, f"{who} {event} {data} answered {answer}, expected a refusal: {refusals}"
        self.last = self.now = None
        op_id = data.get("op_id")
        if op_id is not None and actor.participant_id is not None:
            self.model.answers[(actor.participant_id, op_id)] = answer
        return answer

    def retried(self, who, event: str, data: dict) -> bool:
        """A retry of an op_id this person had answered: the first answer again, nothing changed."""
        actor = self.people.by_name(who)
        first = self.model.answers.get((actor.participant_id, data.get("op_id")))
        if actor.role == "screen" or first is None or event not in ("post_item", "vote", "unvote", "add_note"):
            return False
        if self.last is None:
            self.last = self.facts()
        assert send(self.db, actor, event, data) == first
        self.now = self.facts()
        assert self.now.fingerprint == self.last.fingerprint, "a retried op_id changed the workshop"
        return True

    def phase_refusal(self, who, *phases: str) -> set[str]:
        """wrong_phase when the person may not act now (the facilitator in every phase but closed)."""
        if self.model.phase == "closed" or (who != "fac" and self.model.phase not in phases):
            return {"wrong_phase"}
        return set()

    def role_refusal(self, who, *roles: str) -> set[str]:
        role = {"fac": "facilitator", "screen": "screen"}.get(who, "participant")
        return set() if role in roles else {"forbidden"}

    def pick(self, data, what: str) -> tuple[Any, set[str]]:
        """An item, theme or group id to send, and the refusals it brings. The themes with the most
        dots and the fullest groups come first (Hypothesis tries the first choices most)."""
        model = self.model
        known = {"item": sorted(model.items), "theme": self._by_dots(),
                 "group": sorted(model.groups, key=lambda g: (-sum(1 for x in model.member.values() if x == g), g))}[what]
        ident, refusal = _id(data, known, model.gone[what], what)
        return ident, {refusal} if refusal else set()

    def facts(self):
        return read_facts(self.db, self.workshop_id)

    def person(self, who) -> int:
        return self.people.by_name(who).participant_id

    # --- the workshop ------------------------------------------------------------------------

    @initialize(budget=st.sampled_from([3, 1, 2, 5]), limit=st.sampled_from([2, 1, 3]),
                capacity=st.sampled_from([2, 1, None]), anonymous=st.booleans(),
                phase=st.sampled_from(["vote", "groups", "collect", "cluster"]), items=st.integers(3, 6), themes=st.integers(2, 4))
    def open(self, budget, limit, capacity, anonymous, phase, items, themes):
        """A workshop some way along: items posted, themes made, in the phase drawn (groups formed
        around every theme when it is `groups`)."""
        workshop, self.people = open_workshop(self.db, {"votes_per_participant": budget, "max_votes_per_theme": limit,
                                                        "group_capacity": capacity, "anonymous_items": anonymous},
                                              PARTICIPANTS)
        self.workshop_id = workshop.id
        self.model = Model(phase="collect", budget=budget, limit=limit, capacity=capacity)
        self.model.member = {p.participant_id: None for p in self.people.participants}
        for n in range(items):
            answer = self.send(n % PARTICIPANTS, "post_item", {"quadrant": QUADRANTS[n % 4], "text": f"Sak {n}"}, set())
            self.model.items[answer["item"]["id"]] = [None, False, self.person(n % PARTICIPANTS), f"Sak {n}"]
        for n in range(themes):
            self.model.themes.append(self.send("fac", "create_theme", {"title": f"Tema {n}"}, set())["theme"]["id"])
        self.send("fac", "set_phase", {"phase": phase}, set())
        self.model.phase = phase
        if phase == "groups":
            groups = self.send("fac", "form_groups", {"top": themes}, set())["groups"]
            self.model.groups = {g["id"]: capacity for g in groups}

    # --- items -------------------------------------------------------------------------------

    @rule(who=ANYONE, quadrant=st.sampled_from(QUADRANTS + ("nowhere",)), text=TEXT, op_id=OP_IDS)
    def post_item(self, who, quadrant, text, op_id):
        (text, bad_text), payload = text, {"quadrant": quadrant, "text": text[0], "op_id": op_id}
        if self.retried(who, "post_item", payload):
            return
        refusals = self.role_refusal(who, "participant", "facilitator") | self.phase_refusal(who, "collect") | bad_text
        refusals |= {"bad_request"} if quadrant == "nowhere" else set()
        answer = self.send(who, "post_item", payload, refusals)
        if answer:
            assert answer["item"]["text"] == text.strip() and answer["item"]["quadrant"] == quadrant
            self.model.items[answer["item"]["id"]] = [None, False, self.person(who), text.strip()]

    def _editable(self, data, who) -> tuple[Any, set[str]]:
        """An item to edit or delete, and why it may be refused (only its author, and the facilitator)."""
        item, refusals = self.pick(data, "item")
        refusals |= self.role_refusal(who, "participant", "facilitator") | self.phase_refusal(who, "collect")
        if not refusals and who != "fac" and self.model.items[item][2] != self.person(who):
            refusals.add("forbidden")
        return item, refusals

    @rule(data=st.data(), who=MOSTLY_PARTICIPANT, text=TEXT)
    def edit_item(self, data, who, text):
        (text, bad_text), (item, refusals) = text, self._editable(data, who)
        if self.send(who, "edit_item", {"item_id": item, "text": text}, refusals | bad_text):
            self.model.items[item][3] = text.strip()

    @rule(data=st.data(), who=MOSTLY_PARTICIPANT)
    def delete_item(self, data, who):
        item, refusals = self._editable(data, who)
        if self.send(who, "delete_item", {"item_id": item}, refusals):
            del self.model.items[item]
            self.model.gone["item"].add(item)

    @rule(data=st.data(), who=MOSTLY_FACILITATOR, hidden=st.sampled_from([True, False, "yes"]))
    def hide_item(self, data, who, hidden):
        item, refusals = self.pick(data, "item")
        refusals |= self.role_refusal(who, "facilitator") | self.phase_refusal(who)
        refusals |= {"bad_request"} if hidden == "yes" else set()
        if self.send(who, "hide_item", {"item_id": item, "hidden": hidden}, refusals):
            self.model.items[item][1] = hidden

    # --- themes ------------------------------------------------------------------------------

    def _items(self, data) -> tuple[list, set[str]]:
        """Some items to put in a theme: known ones, sometimes with one more that is not."""
        known = sorted(self.model.items)
        chosen = data.draw(st.lists(st.sampled_from(known), max_size=3, unique=True) if known else st.just([]), label="items")
        if data.draw(st.integers(0, 5), label="one more") == 0:
            item, refusals = _id(data, [], self.model.gone["item"], "item")
            return [*chosen, item], {refusals}
        return chosen, set()

    @rule(data=st.data(), who=MOSTLY_FACILITATOR, title=TEXT)
    def create_theme(self, data, who, title):
        (title, bad_title), (items, refusals) = title, self._items(data)
        refusals |= self.role_refusal(who, "facilitator") | self.phase_refusal(who) | bad_title
        answer = self.send(who, "create_theme", {"title": title, "item_ids": items}, refusals)
        if answer:
            assert answer["theme"]["item_ids"] == sorted(items) and answer["theme"]["votes"] == 0
            self.model.themes.append(answer["theme"]["id"])
            for item in items:
                self.model.items[item][0] = answer["theme"]["id"]

    @rule(data=st.data(), who=MOSTLY_FACILITATOR, unassign=st.booleans())
    def assign_items(self, data, who, unassign):
        items, refusals = self._items(data)
        theme, bad_theme = (None, set()) if unassign else self.pick(data, "theme")
        bad_theme = set() if theme is None else bad_theme  # null unassigns
        refusals |= self.role_refusal(who, "facilitator") | self.phase_refusal(who) | bad_theme
        if self.send(who, "assign_items", {"item_ids": items, "theme_id": theme}, refusals):
            for item in items:
                self.model.items[item][0] = theme

    @rule(data=st.data(), who=MOSTLY_FACILITATOR, title=TEXT)
    def rename_theme(self, data, who, title):
        (title, bad_title), (theme, refusals) = title, self.pick(data, "theme")
        refusals |= self.role_refusal(who, "facilitator") | self.phase_refusal(who) | bad_title
        self.send(who, "rename_theme", {"theme_id": theme, "title": title}, refusals)

    def _remove_themes(self, themes: list[int], into: int | None = None) -> None:
        """Themes deleted (or merged into `into`): their items move, their dots go back."""
        for item in self.model.items.values():
            if item[0] in themes:
                item[0] = into
        for key in [k for k in self.model.dots if k[1] in themes]:
            del self.model.dots[key]
        self.model.themes = [t for t in self.model.themes if t not in themes]
        self.model.gone["theme"] |= set(themes)

    @rule(data=st.data(), who=MOSTLY_FACILITATOR)
    def delete_theme(self, data, who):
        theme, refusals = self.pick(data, "theme")
        self._delete_theme(who, theme, refusals)

    def _delete_theme(self, who, theme, refusals: set[str]) -> None:
        refusals |= self.role_refusal(who, "facilitator") | self.phase_refusal(who)
        if self.send(who, "delete_theme", {"theme_id": theme}, refusals):
            self._remove_themes([theme])

    @rule(data=st.data(), who=MOSTLY_FACILITATOR)
    def merge_themes(self, data, who):
        target, refusals = self.pick(data, "theme")
        known = sorted(self.model.themes)
        sources = data.draw(st.lists(st.sampled_from(known), max_size=3, unique=True) if known else st.just([]), label="sources")
        self._merge_themes(who, target, sources, refusals)

    def _merge_themes(self, who, target, sources: list, refusals: set[str]) -> None:
        refusals |= self.role_refusal(who, "facilitator") | self.phase_refusal(who)
        if not sources or target in sources:
            refusals.add("bad_request")
        if self.send(who, "merge_themes", {"theme_id": target, "source_ids": sources}, refusals):
            self._remove_themes(sources, into=target)

    def _by_dots(self) -> list[int]:
        """The themes, the one with the most dots first."""
        dots = Counter()
        for (_person, theme), n in self.model.dots.items():
            dots[theme] += n
        return sorted(self.model.themes, key=lambda t: (-dots[t], t))

    @rule()
    def the_top_theme_goes(self):
        """The facilitator deletes the theme with the most dots: they all go back to their owners."""
        if self.model.themes:
            self._delete_theme("fac", self._by_dots()[0], set())

    @rule()
    def the_top_two_merge(self):
        """The facilitator merges the theme with the most dots into the next: its dots go back."""
        if len(self.model.themes) >= 2:
            first, second = self._by_dots()[:2]
            self._merge_themes("fac", second, [first], set())

    # --- the workshop's course ---------------------------------------------------------------

    @rule(who=MOSTLY_FACILITATOR, phase=st.sampled_from(PHASES + ("later",)))
    def set_phase(self, who, phase):
        refusals = self.role_refusal(who, "facilitator") | ({"bad_request"} if phase == "later" else set())
        if self.send(who, "set_phase", {"phase": phase}, refusals):
            if phase == "vote" and self.model.phase != "vote":
                self.model.revealed = False
            self.model.phase = phase

    @rule(who=MOSTLY_FACILITATOR)
    def reveal_tallies(self, who):
        if self.send(who, "reveal_tallies", {}, self.role_refusal(who, "facilitator") | self.phase_refusal(who)):
            self.model.revealed = True

    @rule(who=MOSTLY_FACILITATOR, budget=st.sampled_from(["same", 1, 2, 3, 4, 0]), limit=st.sampled_from(["same", 1, 2, 3]),
          capacity=st.sampled_from(["same", None, 1, 2, "two"]))
    def change_settings(self, who, budget, limit, capacity):
        """The facilitator changes the dots per person, per theme, or the groups' size (lowering a
        budget below what someone has spent keeps their dots; they cannot add more)."""
        payload = {name: value for name, value in (("votes_per_participant", budget), ("max_votes_per_theme", limit),
                                                   ("group_capacity", capacity)) if value != "same"}
        refusals = self.role_refusal(who, "facilitator")
        refusals |= {"bad_request"} if budget == 0 or capacity == "two" else set()
        refusals |= {"wrong_phase"} if self.model.phase == "closed" and payload else set()
        if self.send(who, "update_workshop", payload, refusals):
            self.model.budget = payload.get("votes_per_participant", self.model.budget)
            self.model.limit = payload.get("max_votes_per_theme", self.model.limit)
            self.model.capacity = payload.get("group_capacity", self.model.capacity)

    # --- dots --------------------------------------------------------------------------------

    @rule()
    def everyone_votes(self):
        """The whole room taps a theme each (each person the next theme along)."""
        themes = sorted(self.model.themes)
        for n in range(PARTICIPANTS):
            if themes:
                self._vote(n, themes[(n + self.steps) % len(themes)], set(), None)

    @rule(data=st.data(), who=MOSTLY_PARTICIPANT, op_id=OP_IDS)
    def vote(self, data, who, op_id):
        theme, refusals = self.pick(data, "theme")
        if not self.retried(who, "vote", {"theme_id": theme, "op_id": op_id}):
            self._vote(who, theme, refusals, op_id)

    def _vote(self, who, theme, refusals: set[str], op_id) -> None:
        """A dot on `theme`: refused once voting is closed, when the person has none left, or has
        as many on the theme as one may."""
        refusals |= self.role_refusal(who, "participant") | self.phase_refusal("participant", "vote")
        if not refusals:
            me = self.person(who)
            if self.model.revealed:  # the room has seen the results: no dot moves
                refusals.add("voting_closed")
            elif self.model.used(me) >= self.model.budget:
                refusals.add("vote_budget")
            elif self.model.dots[(me, theme)] >= self.model.limit:
                refusals.add("theme_vote_limit")
        answer = self.send(who, "vote", {"theme_id": theme, "op_id": op_id}, refusals)
        if answer:
            me = self.person(who)
            self.model.dots[(me, theme)] += 1
            assert self.model.used(me) <= self.model.budget and self.model.dots[(me, theme)] <= self.model.limit
            assert answer == {"votes_left": self.model.budget - self.model.used(me), "votes": self.model.votes_of(me)}

    @rule()
    def everyone_takes_one_back(self):
        """The whole room takes a dot back, each from the first theme they have one on (or the first theme)."""
        for n in range(PARTICIPANTS):
            mine = sorted(t for (p, t), k in self.model.dots.items() if p == self.person(n) and k) or sorted(self.model.themes)
            if mine:
                self._unvote(n, mine[0], set(), None)

    @rule(data=st.data(), who=MOSTLY_PARTICIPANT, op_id=OP_IDS)
    def unvote(self, data, who, op_id):
        theme, refusals = self.pick(data, "theme")
        if not self.retried(who, "unvote", {"theme_id": theme, "op_id": op_id}):
            self._unvote(who, theme, refusals, op_id)

    def _unvote(self, who, theme, refusals: set[str], op_id) -> None:
        """A dot taken back: refused once voting is closed, or when the person has none there."""
        refusals |= self.role_refusal(who, "participant") | self.phase_refusal("participant", "vote")
        if not refusals and self.model.revealed:
            refusals.add("voting_closed")
        elif not refusals and not self.model.dots[(self.person(who), theme)]:
            refusals.add("bad_request")
        answer = self.send(who, "unvote", {"theme_id": theme, "op_id": op_id}, refusals)
        if answer:
            me = self.person(who)
            self.model.dots[(me, theme)] -= 1
            assert answer == {"votes_left": max(0, self.model.budget - self.model.used(me)), "votes": self.model.votes_of(me)}

    # --- groups ------------------------------------------------------------------------------

    @rule(data=st.data(), who=MOSTLY_FACILITATOR, top=st.sampled_from([1, 2, 3, 0, "chosen"]), replace=st.booleans())
    def form_groups(self, data, who, top, replace):
        """Groups formed anew replace the old ones; when those have members or notes, only if the
        facilitator says so (`replace`)."""
        refusals = self.role_refusal(who, "facilitator") | self.phase_refusal(who)
        if not replace and (any(self.model.member.values()) or +self.model.notes):
            refusals.add("conflict")
        if top == "chosen":  # the facilitator names the themes, in their order
            known = sorted(self.model.themes)
            expected = data.draw(st.permutations(known), label="themes") if known else []
            payload = {"theme_ids": expected, "replace": replace}
        else:  # the top themes by dots; a tie goes to the older theme
            payload, expected = {"top": top, "replace": replace}, self._by_dots()[:top]
            refusals |= {"bad_request"} if top == 0 else set()
        self._form_groups(who, payload, expected, refusals)

    def _form_groups(self, who, payload: dict, expected: list[int], refusals: set[str]) -> None:
        refusals |= set() if expected else {"bad_request"}
        answer = self.send(who, "form_groups", payload, refusals)
        if answer:
            assert [g["theme_id"] for g in answer["groups"]] == expected
            assert all(g["capacity"] == self.model.capacity and g["members"] == [] for g in answer["groups"])
            self.model.gone["group"] |= set(self.model.groups)
            self.model.groups = {g["id"]: g["capacity"] for g in answer["groups"]}
            self.model.member = dict.fromkeys(self.model.member)
            self.model.notes = Counter()

    @rule()
    def everyone_joins(self):
        """The whole room picks a group each (each person the next group along)."""
        groups = sorted(self.model.groups)
        for n in range(PARTICIPANTS):
            if groups:
                self._join(n, groups[(n + self.steps) % len(groups)], set())

    @rule(data=st.data(), who=MOSTLY_PARTICIPANT)
    def join_group(self, data, who):
        group, refusals = self.pick(data, "group")
        self._join(who, group, refusals)

    def _join(self, who, group, refusals: set[str]) -> None:
        """Into a group: refused when it is full (joining one's own group again changes nothing)."""
        refusals |= self.role_refusal(who, "participant") | self.phase_refusal("participant", "groups")
        if not refusals:
            me, capacity = self.person(who), self.model.groups[group]
            inside = sum(1 for g in self.model.member.values() if g == group)
            if self.model.member[me] != group and capacity is not None and inside >= capacity:
                refusals.add("group_full")
        if self.send(who, "join_group", {"group_id": group}, refusals):
            self.model.member[self.person(who)] = group

    @rule(who=MOSTLY_PARTICIPANT)
    def leave_group(self, who):
        refusals = self.role_refusal(who, "participant") | self.phase_refusal("participant", "groups")
        answer = self.send(who, "leave_group", {}, refusals)
        if answer:
            assert answer == {"group_id": self.model.member[self.person(who)]}
            self.model.member[self.person(who)] = None

    @rule(data=st.data(), who=MOSTLY_PARTICIPANT, text=TEXT, op_id=OP_IDS)
    def add_note(self, data, who, text, op_id):
        (text, bad_text), (group, refusals) = text, self.pick(data, "group")
        payload = {"group_id": group, "text": text, "op_id": op_id}
        if self.retried(who, "add_note", payload):
            return
        refusals |= self.role_refusal(who, "participant", "facilitator") | self.phase_refusal(who, "groups")
        if not refusals and who != "fac" and self.model.member[self.person(who)] != group:
            refusals.add("forbidden")
        if self.send(who, "add_note", payload, refusals | bad_text):
            self.model.notes[group] += 1

    # --- after every step --------------------------------------------------------------------

    @invariant()
    def the_database_is_the_model(self):
        if not hasattr(self, "model"):
            return
        facts, self.now = self.now or self.facts(), None  # a refusal has read them already
        self.steps += 1  # one participant's own snapshot a step, in turn
        watched = self.people.participants[self.steps % PARTICIPANTS]
        check_consistent(self.db, self.workshop_id, facts, watched)
        model = self.model
        assert facts.phase == model.phase and facts.budget == model.budget and facts.limit == model.limit
        assert facts.dots == {k: n for k, n in model.dots.items() if n}, "dots differ from the model"
        assert facts.themes == sorted(model.themes)
        assert facts.items == {i: tuple(v) for i, v in model.items.items()}
        assert facts.groups == model.groups
        assert {p: g for p, g in facts.member.items() if p in model.member} == model.member
        assert +facts.notes == +model.notes
        self.last = facts


def test_random_workshops_hold_their_invariants(database):
    run_machine(lambda: WorkshopMachine(database), examples=15, steps=25)
