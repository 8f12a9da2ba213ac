/**
 * The small part of miniprogram-exparser's node API the serialiser reads. exparser ships no
 * typings, so this names only what is used; every field is optional because the four node kinds
 * (Component, VirtualNode, TextNode, ShadowRoot) each carry a different subset.
 */
export interface ExparserNodeLike {
  /** Registered component name; '' for exparser's default (built-in) components. */
  is?: string;
  /** TextNode content. */
  textContent?: string;
  /** True for VirtualNode (block, wx:if, slot) and virtualHost components: no DOM node of its own. */
  __virtual?: boolean;
  /** Composed children: a host's shadow root, a slot's assigned nodes, otherwise childNodes. */
  __wxSlotChildren?: ExparserNodeLike[];
  childNodes?: ExparserNodeLike[];
  shadowRoot?: ExparserNodeLike;
  ownerShadowRoot?: ExparserNodeLike | null;
  parentNode?: ExparserNodeLike | null;
  /** The class attribute as written in the template (scope-less, external class names literal). */
  class?: string;
  /** Inline style as set by the template (j-component already turned `Nrpx` into `Npx`). */
  style?: unknown;
  id?: string;
  dataset?: Record<string, unknown>;
  /** Component data: built-in components keep their properties (src, value, ...) here. */
  data?: Record<string, unknown>;
  /** External class name -> class names the parent gave (null when not given). */
  __externalClassAlias?: Record<string, unknown>;
  /** The DOM node exparser keeps for this element (jsdom in the simulator); absent when virtual. */
  $$?: { localName?: string; tagName?: string; getAttribute?(name: string): string | null } | null;
  /** j-component's virtual tree node: the tag as written in the template and its raw attributes. */
  _vt?: { tagName?: string; attrs?: { name: string; value: unknown }[] };
  getHostNode?(): ExparserNodeLike;
  getAttribute?(name: string): unknown;
}
