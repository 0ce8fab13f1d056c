// The workshop as this screen knows it: a snapshot, then kept current from the server's events.

export const QUADRANTS = ["strengths", "weaknesses", "opportunities", "threats"];

export class WorkshopState {
  constructor(role) {
    this.role = role;
    this.workshop = {};
    this.phase = "collect";
    this.me = {};
    this.items = new Map();
    this.themes = new Map();
    this.groups = [];
    this.quotes = [];
    this.participants = 0;
    this.online = 0;
    this.timerEnd = null; // Date.now() milliseconds when the countdown reaches zero
    this.timerSeconds = null;
    this.stale = false; // true once the snapshot no longer holds what this screen may see
  }

  load(snapshot) {
    this.stale = false;
    this.workshop = snapshot.workshop;
    this.phase = snapshot.phase;
    this.me = snapshot.me;
    this.items = new Map(snapshot.items.map((i) => [i.id, i]));
    this.themes = new Map(snapshot.themes.map((t) => [t.id, t]));
    this.groups = snapshot.groups;
    this.quotes = snapshot.quotes;
    this.participants = snapshot.participants;
    this.online = snapshot.online;
    this.setTimer(snapshot.timer);
    this.undo = snapshot.undo || { steps: 0, next: null }; // the facilitator's
    this.voteProgress = snapshot.vote_progress || null; // the facilitator's, while voting
  }

  /** A closed workshop shows participants and screens a thank-you, nothing of what was said. */
  forget() {
    this.items = new Map();
    this.themes = new Map();
    this.groups = [];
    this.quotes = [];
  }

  setTimer(timer) {
    this.timerEnd = timer ? Date.now() + timer.remaining * 1000 : null;
    this.timerSeconds = timer ? timer.seconds : null;
  }

  /** Apply one server event; returns true when it changed something this state holds. */
  apply(event, data) {
    const handler = this[`on_${event}`];
    if (!handler) return false;
    handler.call(this, data);
    return true;
  }

  on_item_added(item) { this.items.set(item.id, item); }
  on_item_updated(item) { this.items.set(item.id, item); }
  on_item_deleted({ id }) {
    this.items.delete(id);
    for (const theme of this.themes.values()) theme.item_ids = theme.item_ids.filter((i) => i !== id);
  }
  on_theme_updated(theme) {
    this.themes.set(theme.id, theme);
    const inTheme = new Set(theme.item_ids);
    for (const item of this.items.values()) {
      if (inTheme.has(item.id)) item.theme_id = theme.id;
      else if (item.theme_id === theme.id) item.theme_id = null;
    }
  }
  on_theme_deleted({ id }) {
    this.themes.delete(id);
    for (const item of this.items.values()) if (item.theme_id === id) item.theme_id = null;
  }
  on_tally(counts) {
    // Participants and screens get tallies only once they are visible: during voting, that means revealed.
    if (this.role !== "facilitator" && this.phase === "vote") this.workshop.tallies_revealed = true;
    for (const [id, votes] of Object.entries(counts)) {
      const theme = this.themes.get(Number(id));
      if (theme) theme.votes = votes;
    }
  }
  on_phase({ phase, tallies_revealed }) {
    if (this.role !== "facilitator" && phase === "closed") this.forget();
    // A phone or screen that saw the workshop closed knows nothing of it: reopened, it needs a fresh snapshot.
    if (this.role !== "facilitator" && this.phase === "closed" && phase !== "closed") this.stale = true;
    this.phase = phase;
    this.workshop.tallies_revealed = tallies_revealed;
    if (this.role !== "facilitator" && phase === "vote" && !tallies_revealed) {
      for (const theme of this.themes.values()) theme.votes = null;
    }
  }
  on_groups(groups) { this.groups = groups; }
  on_group_updated(group) {
    const at = this.groups.findIndex((g) => g.id === group.id);
    if (at >= 0) this.groups[at] = group;
    else this.groups.push(group);
    if (this.me.id) {
      const mine = group.members.some((m) => m.id === this.me.id);
      if (mine) this.me.group_id = group.id;
      else if (this.me.group_id === group.id) this.me.group_id = null;
    }
  }
  on_note_added(note) {
    const group = this.groups.find((g) => g.id === note.group_id);
    if (group && !group.notes.some((n) => n.id === note.id)) group.notes.push(note);
  }
  on_quote_added(quote) { this.quotes.push(quote); }
  on_quote_updated(quote) { this.quotes = this.quotes.map((q) => (q.id === quote.id ? quote : q)); }
  on_quote_deleted({ id }) { this.quotes = this.quotes.filter((q) => q.id !== id); }
  on_note_deleted({ id, group_id }) {
    const group = this.groups.find((g) => g.id === group_id);
    if (group) group.notes = group.notes.filter((n) => n.id !== id);
  }
  on_undo_state(undo) { this.undo = undo; }
  on_vote_progress(progress) { this.voteProgress = progress; }
  on_workshop_updated(workshop) { this.workshop = { ...this.workshop, ...workshop }; }
  on_presence({ participants, online }) {
    this.participants = participants;
    this.online = online;
  }
  on_timer({ timer }) { this.setTimer(timer); }
  on_my_votes({ votes_left, votes }) {
    this.me.votes_left = votes_left;
    this.me.votes = votes;
  }

  /** Items in `quadrant` (or all), oldest first, hidden ones left out unless asked for. */
  itemList({ quadrant = null, themeId, withHidden = false } = {}) {
    return [...this.items.values()]
      .filter((i) => (quadrant === null || i.quadrant === quadrant) && (themeId === undefined || i.theme_id === themeId))
      .filter((i) => withHidden || !i.hidden)
      .sort((a, b) => a.id - b.id);
  }

  themeList() {
    return [...this.themes.values()].sort((a, b) => a.id - b.id);
  }

  /** Themes by votes, most first; a tie goes to the older theme. */
  rankedThemes() {
    return this.themeList().sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || a.id - b.id);
  }

  talliesVisible() {
    return this.role === "facilitator" || this.phase !== "vote" || this.workshop.tallies_revealed;
  }
}
