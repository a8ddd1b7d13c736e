// Who is signed in. Kept in sessionStorage, not localStorage: many claimants use a shared
// or borrowed phone, and closing the tab must sign them out.
import { useEffect, useState } from 'preact/hooks';

const KEY = 'restitution.session';
const listeners = new Set();
let current = load();

function load() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (s && s.token && s.user && (!s.expires_at || Date.parse(s.expires_at) > Date.now())) return s;
  } catch {
    // A damaged entry is the same as none.
  }
  return null;
}

function notify(reason) {
  for (const fn of listeners) fn(current, reason);
}

// session: {token, expires_at, user: {id, role, username}}
export function setSession(session) {
  current = session;
  sessionStorage.setItem(KEY, JSON.stringify(session));
  notify('login');
}

export function clearSession(reason = 'logout') {
  current = null;
  sessionStorage.removeItem(KEY);
  notify(reason);
}

export function getSession() {
  if (current && current.expires_at && Date.parse(current.expires_at) <= Date.now()) {
    clearSession('expired');
  }
  return current;
}

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function useSession() {
  const [session, setState] = useState(getSession());
  useEffect(() => onSessionChange((s) => setState(s)), []);
  return session;
}

// The page a role lands on after signing in.
export function homeFor(role) {
  switch (role) {
    case 'claimant':
      return '/my';
    case 'court':
      return '/court';
    case 'officer':
    case 'auditor':
    case 'admin':
      return '/office';
    default:
      return '/';
  }
}
