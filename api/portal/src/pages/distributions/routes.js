// Distribution runs (officers draft, endorse, execute, export payments), court approval.
export const distributionRoutes = [];
