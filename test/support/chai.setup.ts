import * as chai from 'chai';

// Show whole values in assertion failures: a truncated diff hides the field that differs.
chai.config.truncateThreshold = 0;
