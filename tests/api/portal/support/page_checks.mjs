// Checks every key page must pass, run where the flow takes its screenshots: nothing wider
// than the screen (a 360-px phone scrolls only down), every form control labelled, every
// button and link named, every image described, and focus visible on the first control.
import assert from 'node:assert/strict';

export async function assertUsable(page, name) {
  const problems = await page.evaluate(() => {
    const found = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrap'))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      found.push(`page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen: ${wide.join(', ')}`);
    }
    // checkVisibility also knows what a closed <details> hides.
    const visible = (el) =>
      el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0;
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const named = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!named) found.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name || el.id || ''}`);
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!visible(el)) continue;
      const text = (el.textContent || el.getAttribute('aria-label') || el.title || '').trim();
      if (!text) found.push(`unnamed ${el.tagName.toLowerCase()} ${el.outerHTML.slice(0, 80)}`);
    }
    for (const img of document.querySelectorAll('img')) {
      if (!img.hasAttribute('alt')) found.push(`image without alt: ${img.src.slice(0, 60)}`);
    }
    if (!document.querySelector('h1')) found.push('no h1');
    if (!document.documentElement.lang) found.push('no lang on <html>');
    return found;
  });
  assert.deepEqual(problems, [], `${name}: usability problems`);
}
