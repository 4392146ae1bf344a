-- The area of a penalty is an enum of the schema (PenaltyArea): a value outside
-- it would make every query of that subject's penalties fail, so refuse it here.
ALTER TABLE administrative_penalty ADD CONSTRAINT administrative_penalty_area_check CHECK (
  area IN ('FOOD_AND_DRUG','CONSTRUCTION','WORK_SAFETY','FIRE_SAFETY','SPECIAL_EQUIPMENT','PRODUCT_QUALITY','ADVERTISING','PRICE','UNFAIR_COMPETITION','OTHER')
);
