// How a region code is shown. The service sends the names it knows with the data (a case's
// region_names, a claim's region_name: the 2023 statistical division codes, province first);
// a code without one (a division merged away before 2023) is shown as the code.

// For claimants: the place ("上海市徐汇区"), which is what they recognise.
export function regionLabel(code, name) {
  return name || code;
}

// For staff, who also work with the codes: "310104 上海市徐汇区".
export function regionWithCode(code, name) {
  return name ? `${code} ${name}` : code;
}

// The name a case gives one of its regions, or ''.
export function caseRegionName(c, code) {
  return (c && c.region_names && c.region_names[code]) || '';
}
