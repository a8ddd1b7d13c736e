// History-API routing: real paths (nginx answers every unknown path with index.html), so
// a claimant can bookmark or share "/my/claims/3/41" and the back button works.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

function current() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  for (const fn of listeners) fn(current());
}

window.addEventListener('popstate', () => {
  for (const fn of listeners) fn(current());
});

export function useLocation() {
  const [loc, setLoc] = useState(current());
  useEffect(() => {
    listeners.add(setLoc);
    // A navigate() made while the first render ran (a redirect to sign in) came before
    // this listener existed.
    setLoc(current());
    return () => listeners.delete(setLoc);
  }, []);
  return loc;
}

// Patterns like "/my/claims/:case/:id"; parameters are path segments, never empty.
export function matchPath(pattern, path) {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
