import React, { useEffect, useState } from 'react';
import { Box, Button, CheckBox, FormGroup, H4, Label, Select, Text, TextArea } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from '../../stock-actions/components/location-select';

const api = new ApiClient();
const ALL = { value: '', label: 'Every product held at the location' };

/** New count: where, optionally one category, blind or not. The snapshot is taken when it opens. */
const NewCount = ({ resource, action }) => {
  const [locations, setLocations] = useState([]);
  const [location, setLocation] = useState(null);
  const [categories, setCategories] = useState([ALL]);
  const [category, setCategory] = useState(ALL);
  const [blind, setBlind] = useState(false);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name }).then(({ data }) => {
      const options = locationOptions(data.locations);
      setLocations(options);
      setLocation(preselected(options, data.locations));
      setCategories([ALL, ...(data.categories || []).map((c) => ({ value: c, label: c }))]);
    });
  }, [resource.id, action.name]);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const count = { locationId: location?.value, blind, ...(category.value ? { category: category.value } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) };
    const data = new FormData();
    data.set('count', JSON.stringify(count));
    try {
      handleResponse(await api.resourceAction({ resourceId: resource.id, actionName: action.name, data }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="new-count-form">
      <H4>New stock count</H4>
      <Text mb="xl">Expected quantities are taken now; selling, receiving and transferring during the count never show up as variance.</Text>
      <LocationSelect value={location} options={locations} onChange={setLocation} />
      <FormGroup data-testid="count-category">
        <Label>Category</Label>
        <Select value={category} options={categories} onChange={(selected) => setCategory(selected ?? ALL)} />
      </FormGroup>
      <FormGroup>
        <CheckBox id="blind" checked={blind} onChange={() => setBlind(!blind)} />
        <Label inline htmlFor="blind" ml="default">Blind count (counters do not see expected quantities)</Label>
      </FormGroup>
      <FormGroup>
        <Label htmlFor="notes">Notes</Label>
        <TextArea id="notes" width="100%" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !location}>
        Start count
      </Button>
    </Box>
  );
};

export default NewCount;
