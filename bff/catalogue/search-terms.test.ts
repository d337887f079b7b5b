import { booleanModeQuery, escapeLike, parseSearchTerms } from './search-terms';

describe('parseSearchTerms', () => {
  it('when q is blank, then there is no text search', () => {
    expect(parseSearchTerms(undefined)).toBeNull();
    expect(parseSearchTerms('   ')).toBeNull();
  });

  it('when q has long and short words, then long ones go to FULLTEXT and short ones to LIKE', () => {
    expect(parseSearchTerms('Galaxy S24 tv')).toEqual({
      fulltextWords: ['galaxy', 's24'],
      prefixWords: ['tv'],
    });
  });

  it('when q holds boolean operators and wildcards, then only letters and digits remain', () => {
    expect(parseSearchTerms(`+gala* -"ultra" (x) ~y <z> @3 %_`)).toEqual({
      fulltextWords: ['gala', 'ultra'],
      prefixWords: ['x', 'y', 'z', '3'],
    });
    expect(parseSearchTerms(`+-><()~*"@%_`)).toEqual({ fulltextWords: [], prefixWords: [] });
  });

  it('when q has stopwords besides other words, then the stopwords are dropped', () => {
    expect(parseSearchTerms('case for the galaxy')).toEqual({
      fulltextWords: ['case', 'galaxy'],
      prefixWords: [],
    });
    expect(parseSearchTerms('the')).toEqual({ fulltextWords: [], prefixWords: ['the'] });
  });

  it('when q is unicode, then it is normalised and lower-cased, counting characters not bytes', () => {
    expect(parseSearchTerms('ＧＡＬＡＸＹ 갤럭시 폰 Café')).toEqual({
      fulltextWords: ['galaxy', '갤럭시', 'café'],
      prefixWords: ['폰'],
    });
  });

  it('when q repeats words or has too many, then words are distinct and at most 8', () => {
    expect(parseSearchTerms('one one two')?.fulltextWords).toEqual(['one', 'two']);
    expect(parseSearchTerms('aaa bbb ccc ddd eee fff ggg hhh iii jjj')?.fulltextWords).toHaveLength(8);
  });
});

describe('booleanModeQuery and escapeLike', () => {
  it('when words are given, then each is a required prefix term', () => {
    expect(booleanModeQuery(['gala', 's24'])).toBe('+gala* +s24*');
  });

  it('when a value holds LIKE wildcards, then they are escaped with !', () => {
    expect(escapeLike('50%_off!')).toBe('50!%!_off!!');
  });
});
