/**
 * Turns a shopper's free text into safe search terms. Only letters and digits survive, so nothing a user
 * types can reach MATCH … AGAINST as a boolean operator or reach LIKE as a wildcard.
 */

/** InnoDB's `innodb_ft_min_token_size` on MariaDB: shorter words are not in the FULLTEXT index. */
export const FULLTEXT_MIN_TOKEN_CHARS = 3;
/** Words after this many are ignored; a longer query only narrows an AND search further. */
export const MAX_SEARCH_WORDS = 8;

/** InnoDB's default stopword list: never indexed, so a `+word*` term on one would match nothing. */
const INNODB_STOPWORDS = new Set([
  'a', 'about', 'an', 'are', 'as', 'at', 'be', 'by', 'com', 'de', 'en', 'for', 'from', 'how', 'i', 'in',
  'is', 'it', 'la', 'of', 'on', 'or', 'that', 'the', 'this', 'to', 'was', 'what', 'when', 'where', 'who',
  'will', 'with', 'und', 'www',
]); // prettier-ignore

export interface SearchTerms {
  /** Words searched through the FULLTEXT index as prefix terms (`+word*`). */
  fulltextWords: string[];
  /** Words too short for the index, matched with `LIKE 'word%'` on name (any word) and brand. */
  prefixWords: string[];
}

/**
 * Splits `q` into words of letters and digits (NFKC, lower case), at most {@link MAX_SEARCH_WORDS}
 * distinct ones. Returns null for a blank `q` (no text search) and empty lists when `q` held no word at
 * all (a search that matches nothing). Stopwords are dropped unless the query has nothing else.
 */
export function parseSearchTerms(q: string | undefined): SearchTerms | null {
  if (q === undefined || q.trim() === '') return null;
  const words = [
    ...new Set(
      q
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word !== ''),
    ),
  ].slice(0, MAX_SEARCH_WORDS);
  const fulltextWords: string[] = [];
  const prefixWords: string[] = [];
  const stopwords: string[] = [];
  for (const word of words) {
    if ([...word].length < FULLTEXT_MIN_TOKEN_CHARS) prefixWords.push(word);
    else if (INNODB_STOPWORDS.has(word)) stopwords.push(word);
    else fulltextWords.push(word);
  }
  if (fulltextWords.length === 0 && prefixWords.length === 0) prefixWords.push(...stopwords);
  return { fulltextWords, prefixWords };
}

/** `+gala* +s24*`: every word required, each as a prefix. Words hold only letters and digits. */
export function booleanModeQuery(words: readonly string[]): string {
  return words.map((word) => `+${word}*`).join(' ');
}

/** The escape character of every LIKE pattern built here (`LIKE ? ESCAPE '!'`). */
export const LIKE_ESCAPE = '!';

/** Escapes LIKE's wildcards (and the escape character) so `value` matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (char) => `${LIKE_ESCAPE}${char}`);
}
