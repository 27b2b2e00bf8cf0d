/**
 * A phone number as people type it (spaces, dashes, +86): the page only
 * catches a slip early; the server keeps the eleven digits or says why not.
 */
export const TYPED_PHONE = /^[\s+\-\d]{11,20}$/;
