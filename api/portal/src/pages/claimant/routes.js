// Claimant pages (and the sign-in and registration pages everyone uses).
export const claimantRoutes = [];
