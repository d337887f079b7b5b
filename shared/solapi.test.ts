import {
  isKoreanMobileNumber,
  parseSolapiAuthorization,
  solapiAuthorization,
  solapiMessageType,
  toKoreanDomesticNumber,
} from './solapi';

describe('solapiAuthorization', () => {
  it('when key, date and salt are fixed, then the signature is the hex HMAC-SHA256 of date + salt under the secret', () => {
    const date = '2019-07-01T00:41:48Z';
    const salt = 'jqsba2jxjnrjor';
    // Computed apart from the code under test (openssl dgst -sha256 -hmac s3cret of date + salt).
    const expected = 'b88192512680f4079e76075714039ded04c5da225bd98a68227815dbf61b7bf3';

    const header = solapiAuthorization({ apiKey: 'NCSAYU7YDBXYORXC', apiSecret: 's3cret' }, date, salt);

    expect(header).toBe(
      `HMAC-SHA256 apiKey=NCSAYU7YDBXYORXC, date=2019-07-01T00:41:48Z, salt=jqsba2jxjnrjor, signature=${expected}`,
    );
    expect(parseSolapiAuthorization(header)).toEqual({
      method: 'HMAC-SHA256',
      apiKey: 'NCSAYU7YDBXYORXC',
      date,
      salt,
      signature: expected,
    });
  });

  it('when the header is not an HMAC one, then it does not parse', () => {
    for (const header of [undefined, '', 'Bearer x', 'HMAC-SHA256 apiKey=k, date=d, salt=s'])
      expect(parseSolapiAuthorization(header)).toBeUndefined();
  });
});

describe('toKoreanDomesticNumber', () => {
  it.each([
    ['+821012345678', '01012345678'],
    ['+82 10-1234-5678', '01012345678'],
    ['010-1234-5678', '01012345678'],
    ['+8221234567', '021234567'],
    ['+82212345678', '0212345678'],
    ['+8215880000', '15880000'],
    ['1588-0000', '15880000'],
    ['+82010123456789', undefined],
    ['+14155550100', undefined],
    ['12345', undefined],
    ['not a number', undefined],
  ])('when %s, then %s', (phone, domestic) => {
    expect(toKoreanDomesticNumber(phone)).toBe(domestic);
  });

  it('when a number is a landline or a nationwide one, then it is not a mobile number', () => {
    expect(isKoreanMobileNumber('01012345678')).toBe(true);
    expect(isKoreanMobileNumber('0111234567')).toBe(true);
    expect(isKoreanMobileNumber('021234567')).toBe(false);
    expect(isKoreanMobileNumber('15880000')).toBe(false);
  });
});

describe('solapiMessageType', () => {
  it('when the text fits 90 EUC-KR bytes (Hangul counts 2), then SMS, else LMS', () => {
    expect(solapiMessageType('[Voltmall] Your verification code is 123456')).toBe('SMS');
    expect(solapiMessageType('a'.repeat(90))).toBe('SMS');
    expect(solapiMessageType('a'.repeat(91))).toBe('LMS');
    expect(solapiMessageType('가'.repeat(45))).toBe('SMS');
    expect(solapiMessageType('가'.repeat(46))).toBe('LMS');
  });
});
