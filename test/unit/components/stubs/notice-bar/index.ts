/** Stand-in for tdesign's t-notice-bar in miniprogram-simulate: same props, renders the content slot. */
Component({
  options: { multipleSlots: true },
  properties: {
    visible: { type: Boolean, value: false },
    theme: { type: String, value: 'info' },
    // tdesign takes a name or an icon object ({ name, prefix })
    prefixIcon: { type: null, value: '' },
  },
});
