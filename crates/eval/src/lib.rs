//! Evaluation against annotated corpora (PolNeAR brat): exact-span, token and end-to-end attribution scores.
