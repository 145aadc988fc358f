/**
 * A `datasets` feature (as the viewer sends it: `{"_type": "Value", "dtype": "string"}`,
 * `{"_type": "ClassLabel", "names": [...]}`, `{"_type": "List", "feature": ...}`, a dict of
 * features, the legacy list `[feature]`…) as one short type for a schema table:
 * `string`, `ClassLabel (neg=0, pos=1)`, `list<{role: string, content: string}>`.
 */

const MAX_CLASS_NAMES = 10;
const MAX_TYPE_CHARS = 240;

export function featureType(feature: unknown): string {
  const text = describe(feature, 0);
  return text.length > MAX_TYPE_CHARS ? `${text.slice(0, MAX_TYPE_CHARS)}…` : text;
}

/** The class names of a ClassLabel feature, or undefined for any other feature. */
export function classNames(feature: unknown): string[] | undefined {
  if (!isRecord(feature) || feature._type !== 'ClassLabel' || !Array.isArray(feature.names)) return undefined;
  return feature.names.map(String);
}

function describe(feature: unknown, depth: number): string {
  if (depth > 6) return '…';
  if (Array.isArray(feature)) return `list<${describe(feature[0], depth + 1)}>`;
  if (!isRecord(feature)) return 'unknown';
  const type = feature._type;
  if (typeof type !== 'string') {
    // A dict of features (a struct).
    const fields = Object.entries(feature).map(([name, inner]) => `${name}: ${describe(inner, depth + 1)}`);
    return `{${fields.join(', ')}}`;
  }
  switch (type) {
    case 'Value':
      return typeof feature.dtype === 'string' ? feature.dtype : 'Value';
    case 'ClassLabel':
      return classLabel(feature);
    case 'List':
    case 'LargeList':
    case 'Sequence': {
      const length = typeof feature.length === 'number' && feature.length >= 0 ? `[${feature.length}]` : '';
      return `list${length}<${describe(feature.feature, depth + 1)}>`;
    }
    case 'Audio':
      return typeof feature.sampling_rate === 'number' ? `Audio (${feature.sampling_rate} Hz)` : 'Audio';
    case 'Translation':
    case 'TranslationVariableLanguages':
      return Array.isArray(feature.languages) ? `${type} (${feature.languages.join(', ')})` : type;
    case 'Array2D':
    case 'Array3D':
    case 'Array4D':
    case 'Array5D': {
      const shape = Array.isArray(feature.shape)
        ? feature.shape.map((d) => (d === null ? '?' : String(d)))
        : [];
      const dtype = typeof feature.dtype === 'string' ? `, ${feature.dtype}` : '';
      return `${type} (${shape.join('×')}${dtype})`;
    }
    default:
      // Image, Video, Pdf, Json and any newer type: its name says it.
      return type;
  }
}

function classLabel(feature: Record<string, unknown>): string {
  const names = classNames(feature) ?? [];
  if (names.length === 0) return 'ClassLabel';
  const shown = names.slice(0, MAX_CLASS_NAMES).map((name, index) => `${name}=${index}`);
  const more = names.length > MAX_CLASS_NAMES ? `, … ${names.length} classes` : '';
  return `ClassLabel (${shown.join(', ')}${more})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
