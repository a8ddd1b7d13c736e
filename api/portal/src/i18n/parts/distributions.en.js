// distributions strings (en); merged into i18n/en.js.
export default {
};
