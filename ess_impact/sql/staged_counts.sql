SELECT count(*) FILTER (WHERE status = 'new'), count(*) FILTER (WHERE status = 'changed'),
       count(*) FILTER (WHERE status = 'same')
FROM staged
