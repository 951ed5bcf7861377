"""The parts of complaint drafting (`leh.domain.drafting` is the public API and re-exports what callers use).

dates: stamps as written in a complaint; facts: labelled messages as facts; sentences: splitting and
markers; exhibits: 갑 제N호증 labels and the 입증방법 list; grounding: keeping only cited sentences;
consistency: the final check that every citation, exhibit and part agrees with the text.
"""
