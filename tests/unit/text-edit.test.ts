import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../src/tools/code/text-edit.js';

describe('applyEdit: exact matches', () => {
  it('replaces a unique match', () => {
    const out = applyEdit('a = 1\nb = 2\n', { oldStr: 'b = 2', newStr: 'b = 3' });
    expect(out).toEqual({ text: 'a = 1\nb = 3\n', replacements: 1 });
  });

  it('refuses a match that is not unique, saying how many and what to do', () => {
    expect(() => applyEdit('x\nx\n', { oldStr: 'x', newStr: 'y' })).toThrow(/occurs 2 times.*replace_all/);
  });

  it('replaces every match with replace_all', () => {
    const out = applyEdit('lr = 1; lr2 = lr', { oldStr: 'lr', newStr: 'rate', replaceAll: true });
    expect(out.text).toBe('rate = 1; rate2 = rate');
    expect(out.replacements).toBe(3);
  });

  it('inserts after and before the match with append_after and prepend_before', () => {
    const text = 'import os\nmain()\n';
    expect(
      applyEdit(text, { oldStr: 'import os\n', newStr: 'import sys\n', mode: 'append_after' }).text,
    ).toBe('import os\nimport sys\nmain()\n');
    expect(applyEdit(text, { oldStr: 'main()', newStr: '# run\n', mode: 'prepend_before' }).text).toBe(
      'import os\n# run\nmain()\n',
    );
  });

  it('takes `$` patterns in new_str literally', () => {
    expect(applyEdit('cost', { oldStr: 'cost', newStr: "$& $1 $'" }).text).toBe("$& $1 $'");
  });

  it('refuses an empty old_str and an unchanged replacement', () => {
    expect(() => applyEdit('abc', { oldStr: '', newStr: 'x' })).toThrow(/must not be empty/);
    expect(() => applyEdit('abc', { oldStr: 'b', newStr: 'b' })).toThrow(/must differ/);
  });
});

describe('applyEdit: whitespace fallback', () => {
  it('matches lines whose trailing whitespace differs, and says so', () => {
    const text = 'def f():   \n    return 1  \nprint(f())\n';
    const out = applyEdit(text, { oldStr: 'def f():\n    return 1', newStr: 'def f():\n    return 2' });
    expect(out.text).toBe('def f():\n    return 2\nprint(f())\n');
    expect(out.note).toMatch(/trailing whitespace, at line 1/);
  });

  it('matches lines whose indentation differs when that is unique', () => {
    const text = 'class A:\n    def f(self):\n        return 1\n';
    const out = applyEdit(text, {
      oldStr: 'def f(self):\n    return 1\n',
      newStr: '    def g(self):\n        return 2\n',
    });
    expect(out.text).toBe('class A:\n    def g(self):\n        return 2\n');
    expect(out.note).toMatch(/indentation.*line 2/);
  });

  it('keeps CRLF line breaks around a fuzzy match', () => {
    const out = applyEdit('a  \r\nb\r\nc\r\n', { oldStr: 'a \nb', newStr: 'z' });
    expect(out.text).toBe('z\r\nc\r\n');
  });

  it('refuses a fuzzy match that is not unique', () => {
    const text = '  x = 1\n    x = 1\n';
    expect(() => applyEdit(text, { oldStr: '\tx = 1\n', newStr: 'x = 2\n' })).toThrow(/matches 2 places/);
  });

  it('applies append_after to the fuzzy match, keeping the original text', () => {
    const out = applyEdit('if ok:  \n    go()\n', {
      oldStr: 'if ok:\n',
      newStr: '    log()\n',
      mode: 'append_after',
    });
    expect(out.text).toBe('if ok:  \n    log()\n    go()\n');
  });

  it('says not found, and spots line-number prefixes copied from read', () => {
    expect(() => applyEdit('abc\n', { oldStr: 'xyz', newStr: 'q' })).toThrow(
      /not found.*copy the exact text/,
    );
    expect(() => applyEdit('abc\n', { oldStr: '     1\tabc', newStr: 'q' })).toThrow(/line-number prefixes/);
  });
});
