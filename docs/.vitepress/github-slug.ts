/**
 * Heading anchors as GitHub makes them (github-slugger): lower case, every character that is not a letter, digit,
 * mark, connector (`_`), hyphen or space dropped, spaces turned into hyphens. The Markdown files are read on a code
 * host as well as on the site, and their links (`architecture.md#one-kgorest-per-app`) must land on both; VitePress'
 * own slugs would turn the `@` and `/` of "One @kgo/rest per app" into hyphens instead. Repeats get `-1`, `-2`, … as on
 * GitHub (markdown-it-anchor does that part).
 */
export function githubSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}
