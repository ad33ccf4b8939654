/** Contact normalisation (issue 13): every common way of writing one contact gives one term. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contactTermsOf, contactTermsOfQuery, normalizeCode, normalizeEmail, normalizePhone } from '../../../src/domain/complaint/contact.js';

describe('contact normalisation', () => {
  it('phones: +86, 0086, 86, blanks, dashes, dots and parentheses give the national number', () => {
    for (const v of ['13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '(+86) 138-1234-5678', '138.1234.5678', '8613812345678', '+86（138）12345678']) assert.equal(normalizePhone(v), '13812345678', v);
    for (const v of ['010-12345678', '(010) 1234 5678', '+86 10 1234 5678', '0086 (10) 12345678']) assert.equal(normalizePhone(v), '01012345678', v);
    assert.equal(normalizePhone('+1 (415) 555-0100'), '+14155550100');
    assert.equal(normalizePhone('0044 20 7946 0958'), '+442079460958');
    for (const v of ['12ab', '1234', '', '+86', 'abc-def']) assert.equal(normalizePhone(v), null, v);
  });

  it('e-mail lower-cased and trimmed; codes upper-cased without separators', () => {
    assert.equal(normalizeEmail('  Zhang.San@Example.COM '), 'zhang.san@example.com');
    assert.equal(normalizeEmail('nope'), null);
    assert.equal(normalizeCode('京A·12345'), '京A12345');
    assert.equal(normalizeCode('ord-2026 0042'), 'ORD20260042');
    assert.equal(normalizeCode('11010119900307123x'), '11010119900307123X');
  });

  it('a case: phone, last four, last four + name, e-mail, ID, order, plate; an anonymous complainant none of its contacts', () => {
    const terms = contactTermsOf({ complainant: { anonymous: false, name: '张 三', phone: '+86 138-1234-5678', email: 'A@B.cn', idNumber: '110101199003071234' }, references: { order: 'O-100', plate: '沪B 9999' } });
    assert.deepEqual(terms, [
      { kind: 'phone', value: '13812345678' },
      { kind: 'phone_last4', value: '5678' },
      { kind: 'phone_last4_name', value: '5678|张三' },
      { kind: 'email', value: 'a@b.cn' },
      { kind: 'id_number', value: '110101199003071234' },
      { kind: 'order', value: 'O100' },
      { kind: 'plate', value: '沪B9999' },
    ]);
    assert.deepEqual(contactTermsOf({ complainant: { anonymous: true, phone: '13812345678' }, references: {} }), []);
  });

  it('a search text: the readings it may have', () => {
    // Several readings at once (it might be a plate number too); each is its own key.
    for (const q of ['5678 张三', '张三 5678', '张三5678'])
      assert.ok(
        contactTermsOfQuery(q).some((t) => t.kind === 'phone_last4_name' && t.value === '5678|张三'),
        q,
      );
    assert.ok(!contactTermsOfQuery('5678 张三').some((t) => t.kind === 'phone'));
    assert.ok(contactTermsOfQuery('+86 138 1234 5678').some((t) => t.kind === 'phone' && t.value === '13812345678'));
    assert.deepEqual(contactTermsOfQuery('A@B.cn'), [{ kind: 'email', value: 'a@b.cn' }]);
    assert.deepEqual(contactTermsOfQuery('宽带断网'), []);
    assert.deepEqual(contactTermsOfQuery('   '), []);
  });
});
