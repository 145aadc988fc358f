/**
 * A redactor that always removes `key` (even when a proxy echoes it back in an error) and then
 * applies the process's redactor, when there is one.
 */
export function redactKey(
  key: string | undefined,
  redact?: (text: string) => string,
): (text: string) => string {
  return (text) => {
    const withoutKey = key !== undefined && key.length >= 8 ? text.split(key).join('[redacted]') : text;
    return redact ? redact(withoutKey) : withoutKey;
  };
}
