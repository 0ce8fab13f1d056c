// The one connection to the server: state, reconnecting, and a queue for what was written offline.
import { io } from "../vendor/socket.io.esm.min.js";
import { showDeleted } from "./ui.js";

// Refusals at connect that another try will not cure.
const FATAL = new Set(["forbidden", "not_found", "bad_request", "wrong_phase", "unauthorized"]);
// Answers after which a queued event is tried again later rather than dropped.
const RETRY = new Set(["offline", "timeout", "rate_limited", "internal", "conflict"]);

/** A fresh op_id; crypto.getRandomValues also works on plain http inside a local network. */
export function newOpId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function storage() {
  try {
    localStorage.setItem("facilitation:probe", "1");
    localStorage.removeItem("facilitation:probe");
    return localStorage;
  } catch {
    const memory = new Map();
    return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v), removeItem: (k) => memory.delete(k) };
  }
}

export const store = storage();

export class Realtime {
  /**
   * auth(): the auth object for each (re)connect; handlers: snapshot(data), event(name, data),
   * state(name), refused(error), queue(entries), sent(entry, answer), failed(entry, error).
   */
  constructor({ auth, queueKey = null, handlers = {} }) {
    this.handlers = handlers;
    this.queueKey = queueKey;
    this.flushing = false;
    this.retryTimer = null;
    this.state = "connecting";
    this.socket = io({ auth: (cb) => cb(auth()), reconnectionDelay: 500, reconnectionDelayMax: 4000, timeout: 10000 });
    this.everOnline = false;
    this.socket.on("connect", () => {
      this.everOnline = true;
      this.setState("online");
    });
    this.socket.on("disconnect", (reason) => {
      if (this.state === "deleted") return;
      this.setState("offline");
      if (reason === "io server disconnect") this.socket.connect();
    });
    // The workshop was deleted: forget what waits to be sent and show only a notice; the server
    // closes the connection, and it is not opened again.
    this.socket.on("workshop_deleted", () => {
      this.state = "deleted";
      if (this.queueKey) store.removeItem(this.queueKey);
      showDeleted();
    });
    this.socket.on("connect_error", (error) => this.connectError(error));
    this.socket.on("snapshot", (data) => {
      this.emitHandler("snapshot", data);
      this.flush();
    });
    this.socket.onAny((event, data) => {
      if (event !== "snapshot") this.emitHandler("event", event, data);
    });
    window.addEventListener("offline", () => this.setState("offline"));
    window.addEventListener("online", () => {
      if (this.stopped) return;
      if (this.state === "deleted") return;
      if (this.socket.connected) this.setState("online");
      else this.socket.connect();
    });
  }

  /** Stay disconnected from now on, forgetting what waits to be sent (this person was removed). */
  stop() {
    this.stopped = true;
    if (this.queueKey) store.removeItem(this.queueKey);
    this.socket.disconnect();
  }

  /** Connect again, for a fresh snapshot. */
  reconnect() {
    this.socket.disconnect().connect();
  }

  emitHandler(name, ...args) {
    const handler = this.handlers[name];
    if (handler) handler(...args);
  }

  setState(state) {
    if (this.state === "deleted") return;
    if (state === "online" && !navigator.onLine) state = "offline";
    this.state = state;
    this.emitHandler("state", state);
  }

  connectError(error) {
    const data = (error && error.data) || {};
    if (FATAL.has(data.code)) {
      this.state = "refused";
      this.emitHandler("state", "refused", data);
      this.emitHandler("refused", data);
      return;
    }
    this.setState(this.everOnline ? "offline" : "connecting");
    if (!this.socket.active) setTimeout(() => this.socket.connect(), 3000);
  }

  /** Send one event and wait for its answer; never throws. */
  call(event, payload = {}, timeoutMs = 10000) {
    return new Promise((resolve) => {
      if (!this.socket.connected) return resolve({ ok: false, error: { code: "offline" } });
      this.socket.timeout(timeoutMs).emit(event, payload, (error, answer) => {
        resolve(error ? { ok: false, error: { code: "timeout" } } : answer);
      });
    });
  }

  /** Send with a fresh op_id: safe to send again, counted once. */
  callOnce(event, payload = {}) {
    return this.call(event, { ...payload, op_id: newOpId() });
  }

  queued() {
    if (!this.queueKey) return [];
    try {
      return JSON.parse(store.getItem(this.queueKey)) || [];
    } catch {
      return [];
    }
  }

  saveQueue(entries) {
    store.setItem(this.queueKey, JSON.stringify(entries));
    this.emitHandler("queue", entries);
  }

  /** Keep an event (a post, a note) until the server has it: sent now, or once back online. */
  enqueue(event, payload) {
    const entry = { op_id: newOpId(), event, payload, at: Date.now() };
    this.saveQueue([...this.queued(), entry]);
    this.flush();
    return entry;
  }

  async flush() {
    if (this.flushing || !this.socket.connected) return;
    this.flushing = true;
    try {
      for (;;) {
        const [entry] = this.queued();
        if (!entry || !this.socket.connected) break;
        const answer = await this.call(entry.event, { ...entry.payload, op_id: entry.op_id });
        if (!answer.ok && RETRY.has(answer.error.code)) {
          this.retryLater();
          break;
        }
        this.saveQueue(this.queued().filter((e) => e.op_id !== entry.op_id));
        if (answer.ok) this.emitHandler("sent", entry, answer);
        else this.emitHandler("failed", entry, answer.error);
      }
    } finally {
      this.flushing = false;
    }
  }

  retryLater() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), 3000);
  }
}
