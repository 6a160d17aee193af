// One colour per version, the same in every chart, table and photo finish:
// bright on the dark page, told apart by colour-blind eyes too (Okabe–Ito).
const COLOURS = ['#56b4e9', '#e69f00', '#cc79a7', '#009e73', '#f0e442', '#d55e00', '#0072b2', '#ffffff'];

/** The colour of a version: by its place among the versions, in version order (v1, v2, v3 …). */
export function colourOf(version: string, versions: readonly string[]): string {
  const sorted = [...new Set(versions)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const i = sorted.indexOf(version);
  return COLOURS[(i < 0 ? sorted.length : i) % COLOURS.length]!;
}
