/**
 * The lowercase plural and singular English guess for a kind (apimachinery
 * `UnsafeGuessKindToResource`): `Endpoints` stays as is; `s`, `z`, `ch`, `sh`, `x` take `es`;
 * a consonant + `y` becomes `ies`; everything else takes `s`. Only a guess: discovery's names win;
 * the RESTMapper uses it for `<Kind>List` and for resources without a singular name.
 */
export function guessKindToResource(kind: string): { plural: string; singular: string } {
  if (kind === '') return { plural: '', singular: '' };
  const singular = kind.toLowerCase();
  if (singular.endsWith('endpoints')) return { plural: singular, singular };
  if (['s', 'z', 'ch', 'sh', 'x'].some((end) => singular.endsWith(end))) return { plural: `${singular}es`, singular };
  if (singular.endsWith('y') && !['ay', 'ey', 'iy', 'oy', 'uy'].some((end) => singular.endsWith(end))) {
    return { plural: `${singular.slice(0, -1)}ies`, singular };
  }
  return { plural: `${singular}s`, singular };
}
