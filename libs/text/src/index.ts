export { STOP_WORDS, isContentWord, topicWords, words } from './words.ts';
